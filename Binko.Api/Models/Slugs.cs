using System.Text;

namespace Binko.Api.Models;

/// <summary>URL slugs made from titles: lowercase ASCII letters and digits joined by single hyphens.</summary>
public static class Slugs
{
    public const int MaximumLength = 80;

    public static string FromTitle(string title)
    {
        var slug = new StringBuilder(title.Length);
        foreach (var c in title.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
                slug.Append(c);
            else if (char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark && slug.Length > 0 && slug[^1] != '-')
                slug.Append('-');
        }
        var text = slug.ToString().Trim('-');
        if (text.Length > MaximumLength)
            text = text[..MaximumLength].TrimEnd('-');
        return text.Length == 0 ? "idea" : text;
    }
}
