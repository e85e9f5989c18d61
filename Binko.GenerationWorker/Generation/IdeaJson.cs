using System.Globalization;
using System.Text.Json;

namespace Binko.GenerationWorker.Generation;

/// <summary>One idea as the LLM wrote it, before validation.</summary>
public sealed record RawIdea(string? Title, string? Summary, string? Difficulty, IReadOnlyList<string> Tags,
    IReadOnlyList<string> Skills, int? EstimatedHours, string? Category);

/// <summary>
/// Lenient reading of the LLM's answer: code fences and prose around the JSON are ignored (the outermost object, or
/// array, is taken), as are unknown fields; trailing commas and comments are allowed; numbers may be strings
/// ("12", "12 hours"); tags and skills may be a comma-separated string.
/// </summary>
public static class IdeaJson
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>The ideas, or null and the reason the text is not usable.</summary>
    public static (IReadOnlyList<RawIdea>? Ideas, string? Problem) Parse(string? text)
    {
        var json = Outermost(text ?? "");
        if (json is null)
            return (null, "the answer contains no JSON object");
        try
        {
            using var document = JsonDocument.Parse(json, Options);
            var root = document.RootElement;
            var array = root.ValueKind == JsonValueKind.Array ? root
                : Property(root, "ideas") is { ValueKind: JsonValueKind.Array } ideas ? ideas
                : (JsonElement?)null;
            if (array is null)
                return (null, "the JSON has no \"ideas\" array");
            return ([.. array.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(Read)], null);
        }
        catch (JsonException exception)
        {
            return (null, $"the JSON is malformed ({exception.Message})");
        }
    }

    private static RawIdea Read(JsonElement idea) => new(
        Text(Property(idea, "title")),
        Text(Property(idea, "summary") ?? Property(idea, "description")),
        Text(Property(idea, "difficulty")),
        List(Property(idea, "tags")),
        List(Property(idea, "skills") ?? Property(idea, "technologies")),
        Number(Property(idea, "estimated_hours") ?? Property(idea, "estimatedHours") ?? Property(idea, "hours")),
        Text(Property(idea, "category")));

    /// <summary>From the first '{' or '[' to its last matching closer: strips fences and surrounding prose.</summary>
    private static string? Outermost(string text)
    {
        var start = text.IndexOfAny(['{', '[']);
        if (start < 0)
            return null;
        var end = text.LastIndexOf(text[start] == '{' ? '}' : ']');
        return end > start ? text[start..(end + 1)] : null;
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return null;
        foreach (var property in element.EnumerateObject())
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                return property.Value;
        return null;
    }

    private static string? Text(JsonElement? element) => element?.ValueKind switch
    {
        JsonValueKind.String => element.Value.GetString()?.Trim(),
        JsonValueKind.Number => element.Value.GetRawText(),
        _ => null,
    };

    private static IReadOnlyList<string> List(JsonElement? element) => element?.ValueKind switch
    {
        JsonValueKind.Array => [.. element.Value.EnumerateArray().Select(e => Text(e)).OfType<string>().Where(s => s.Length > 0)],
        JsonValueKind.String => [.. element.Value.GetString()!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
        _ => [],
    };

    private static int? Number(JsonElement? element)
    {
        if (element?.ValueKind == JsonValueKind.Number && element.Value.TryGetDouble(out var number))
            return (int)Math.Round(number);
        if (element?.ValueKind != JsonValueKind.String)
            return null;
        var digits = new string([.. element.Value.GetString()!.Trim().SkipWhile(c => !char.IsDigit(c)).TakeWhile(c => char.IsDigit(c) || c == '.')]);
        return double.TryParse(digits, CultureInfo.InvariantCulture, out var parsed) ? (int)Math.Round(parsed) : null;
    }
}
