using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Binko.Api.Http;

/// <summary>ETags for optimistic concurrency: the row version (Postgres xmin) as a strong, quoted entity tag.</summary>
public static class EntityTags
{
    public static string For(uint version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    public static void SetETag(this HttpResponse response, uint version) => response.Headers.ETag = For(version);

    /// <summary>The version an <c>If-Match</c> header names; false when it is absent, a list, weak, or not ours.</summary>
    public static bool TryParseIfMatch(string? header, out uint version)
    {
        version = 0;
        if (string.IsNullOrWhiteSpace(header) || !EntityTagHeaderValue.TryParse(header.Trim(), out var tag) || tag.IsWeak)
            return false;
        var value = tag.Tag.AsSpan().Trim('"');
        return uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }
}
