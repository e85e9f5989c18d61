using Binko.Data.Generations;

namespace Binko.GenerationWorker.Generation;

/// <summary>
/// Checks the LLM's ideas against the request and turns them into drafts. An idea is dropped when it has no title
/// or summary, an unknown difficulty, none of the person's skills (when they gave skills; not for a refinement, whose
/// instruction may bring new technologies), an avoided technology,
/// no hours or more than <see cref="HoursLimit"/>, or a title already in the batch or already shown to this owner.
/// A difficulty that does not fit the level is clamped to the nearest that does (an "advanced" idea for a beginner
/// becomes "intermediate"): the idea itself is usable, its label was off. The category is the requested one, else
/// the LLM's, else the refined idea's, else the best-matching catalog idea's. Extra ideas are trimmed; too few valid ones is a failure.
/// </summary>
public static class IdeaValidator
{
    public static (IReadOnlyList<IdeaDraft> Ideas, IReadOnlyList<string> Problems) Validate(
        GenerationContext context, IReadOnlyList<RawIdea> raw)
    {
        var request = context.Request;
        var wanted = request.NumIdeas;
        var ideas = new List<IdeaDraft>(wanted);
        var problems = new List<string>();
        var titles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < raw.Count && ideas.Count < wanted; i++)
        {
            if (Check(context, raw[i], titles) is { } problem)
                problems.Add($"idea {i + 1}: {problem}");
            else
                ideas.Add(ToDraft(context, raw[i]));
        }
        if (ideas.Count < wanted)
        {
            problems.Add($"{ideas.Count} valid idea(s), exactly {wanted} are required");
            return (ideas, problems);
        }
        return (ideas, []);
    }

    private static string? Check(GenerationContext context, RawIdea idea, HashSet<string> titles)
    {
        var profile = context.Request.Profile;
        var constraints = context.Request.Constraints;
        if (string.IsNullOrWhiteSpace(idea.Title))
            return "the title is missing";
        if (string.IsNullOrWhiteSpace(idea.Summary))
            return "the summary is missing";
        if (Difficulty.Parse(idea.Difficulty) is null)
            return $"difficulty \"{idea.Difficulty}\" is not beginner, intermediate or advanced";
        var skills = idea.Skills.Select(Strings.Lower).ToHashSet();
        if (profile.Skills.Count > 0 && !context.IsRefinement && !profile.Skills.Any(skill => skills.Contains(Strings.Lower(skill))))
            return $"it uses none of the person's skills ({string.Join(", ", profile.Skills)})";
        if (constraints.AvoidTechnologies.FirstOrDefault(avoid => skills.Contains(Strings.Lower(avoid))) is { } avoided)
            return $"it uses {avoided}, which the person wants to avoid";
        var limit = HoursLimit.For(context.Request);
        if (idea.EstimatedHours is not int hours || hours < 1 || hours > limit)
            return $"estimated_hours must be between 1 and {limit}";
        var title = idea.Title.Trim();
        if (context.ShownTitles.Contains(ShownTitles.Normalize(title)))
            return $"\"{title}\" was already shown to this person";
        if (!titles.Add(title))
            return $"\"{title}\" appears twice";
        return null;
    }

    private static IdeaDraft ToDraft(GenerationContext context, RawIdea idea)
    {
        var request = context.Request;
        var category = request.Constraints.Category
            ?? (idea.Category is { Length: > 0 and <= 40 } own ? Strings.Lower(own) : null)
            ?? context.Original?.Category
            ?? context.Catalog.FirstOrDefault()?.Category
            ?? "general";
        return new IdeaDraft(
            Title: Strings.Truncate(idea.Title!.Trim(), 200),
            Summary: Strings.Truncate(idea.Summary!.Trim(), 4000),
            Difficulty: Difficulty.Clamp(request.Profile.ExperienceLevel, Difficulty.Parse(idea.Difficulty)!.Value),
            Category: category,
            Tags: [.. idea.Tags.Select(Strings.Lower).Where(t => t.Length is > 0 and <= 40).Distinct().Take(8)],
            Skills: [.. idea.Skills.Select(Strings.Lower).Where(s => s.Length is > 0 and <= 40).Distinct().Take(10)],
            EstimatedHours: idea.EstimatedHours!.Value,
            SourceIdeaId: context.Original?.SourceIdeaId);
    }


}
