using System.Text.RegularExpressions;
using Binko.Data.Entities;
using Binko.Data.Generations;

namespace Binko.GenerationWorker.Generation;

/// <summary>
/// Refines an idea without an LLM, deterministically: an instruction asking for something smaller halves the hours,
/// one asking for more adds half again (within the request's hour limit), and "use X", "switch to X" or "rewrite it in
/// X" puts X first among the skills and tags. The title says it is a revision; the summary ends with the instruction it follows.
/// </summary>
public static partial class OfflineRefinement
{
    private static readonly string[] Smaller = ["small", "simpl", "short", "quick", "less", "mvp", "minimal"];
    private static readonly string[] Larger = ["bigger", "larger", "more", "extend", "expand", "add "];

    public static IReadOnlyList<IdeaDraft> Build(GenerationContext context)
    {
        var original = context.Original!;
        var instruction = context.Request.Refinement!.Instruction.Trim();
        var lower = instruction.ToLowerInvariant();

        var hours = original.EstimatedHours;
        if (Smaller.Any(lower.Contains))
            hours = Math.Max(1, hours / 2);
        else if (Larger.Any(lower.Contains))
            hours += Math.Max(1, hours / 2);
        hours = Math.Min(hours, HoursLimit.For(context.Request));

        var technology = Technology().Match(lower) is { Success: true } match ? match.Groups["name"].Value.TrimEnd('.') : null;
        return
        [
            new IdeaDraft(
                Title: Strings.Truncate($"{original.Title} (revised)", 200),
                Summary: Strings.Truncate($"{original.Summary} Revised to {LowerFirst(instruction.TrimEnd('.'))}.", 4000),
                Difficulty: Difficulty.Clamp(context.Request.Profile.ExperienceLevel, original.Difficulty),
                Category: original.Category,
                Tags: Prepend(technology, original.Tags, 8),
                Skills: Prepend(technology, original.Skills, 10),
                EstimatedHours: hours,
                SourceIdeaId: original.SourceIdeaId),
        ];
    }

    private static List<string> Prepend(string? first, IEnumerable<string> rest, int max) =>
        [.. (first is null ? rest : rest.Prepend(first)).Distinct().Take(max)];

    private static string LowerFirst(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];


    [GeneratedRegex(@"\b(?:use|using|switch to|rewrite it in|rewrite in)\s+(?<name>[a-z][a-z0-9#+.\-]{0,39})")]
    private static partial Regex Technology();
}
