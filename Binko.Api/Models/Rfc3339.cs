using System.Globalization;
using System.Text.RegularExpressions;

namespace Binko.Api.Models;

/// <summary>RFC 3339 date-times (<c>2026-11-24T09:30:00Z</c>, <c>2026-11-24T11:30:00.250+02:00</c>): a full date and time
/// with an explicit offset, unlike ISO 8601 in general, which also allows local times and dates alone.</summary>
public static partial class Rfc3339
{
    public static bool TryParse(string text, out DateTimeOffset timestamp)
    {
        timestamp = default;
        return DateTime().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out timestamp);
    }

    /// <summary>For text already validated; anything else is a programming error.</summary>
    public static DateTimeOffset Parse(string text) =>
        TryParse(text, out var timestamp) ? timestamp : throw new FormatException($"'{text}' is not an RFC 3339 timestamp.");

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$")]
    private static partial Regex DateTime();
}
