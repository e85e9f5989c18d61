namespace Binko.GenerationWorker.Generation;

/// <summary>The small text normalisations generated ideas go through.</summary>
internal static class Strings
{
    public static string Lower(string value) => value.Trim().ToLowerInvariant();

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
