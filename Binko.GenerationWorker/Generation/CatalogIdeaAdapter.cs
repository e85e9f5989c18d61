using Binko.Data.Entities;
using Binko.Data.Generations;

namespace Binko.GenerationWorker.Generation;

/// <summary>
/// Turns ranked catalog ideas into ideas for this person, deterministically (the same context gives the same
/// ideas): the best matches first, each adapted to the person's skills and interests, within the constraints.
/// When more ideas are asked for than the catalog matched, the matches are reused with a different angle, and so is
/// a match whose title the person was already shown (then, once the angles are used up, a number tells it apart).
/// Used by the offline generator and, flagged degraded, when the LLM is unavailable.
/// </summary>
public static class CatalogIdeaAdapter
{
    private static readonly string[] Angles = ["mobile-first", "offline-first", "multiplayer", "data-driven", "minimalist", "open-source"];

    public static IReadOnlyList<IdeaDraft> Build(GenerationContext context)
    {
        if (context.Catalog.Count == 0)
            throw new NoCatalogIdeasException();

        var ideas = new List<IdeaDraft>(context.Request.NumIdeas);
        var titles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        bool Shown(string title) => context.ShownTitles.Contains(ShownTitles.Normalize(title));
        for (var i = 0; i < context.Request.NumIdeas; i++)
        {
            var source = context.Catalog[i % context.Catalog.Count];
            var round = i / context.Catalog.Count;
            var idea = Adapt(context.Request, source, i, round);
            for (var next = round + 1; Shown(idea.Title) && next <= round + Angles.Length; next++)
                idea = Adapt(context.Request, source, i, next);
            var title = idea.Title;
            for (var n = 2; Shown(title) || !titles.Add(title); n++)
                title = $"{idea.Title} #{n}";
            ideas.Add(idea with { Title = title });
        }
        return ideas;
    }

    private static IdeaDraft Adapt(GenerationRequest request, Idea source, int index, int round)
    {
        var profile = request.Profile;
        var constraints = request.Constraints;
        var avoid = constraints.AvoidTechnologies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var personSkills = profile.Skills.Where(skill => !avoid.Contains(skill)).ToList();
        var shared = source.Skills.Where(skill => personSkills.Contains(skill, StringComparer.OrdinalIgnoreCase)).ToList();
        var skill = shared.FirstOrDefault() ?? (personSkills.Count > 0 ? personSkills[index % personSkills.Count] : null);
        var interest = profile.Interests.Count > 0 ? profile.Interests[index % profile.Interests.Count] : null;

        var skills = shared
            .Concat(skill is null ? [] : [skill])
            .Concat(constraints.UseTechnologies)
            .Concat(source.Skills)
            .Where(s => !avoid.Contains(s))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(8)
            .ToList();
        var hours = Math.Max(1, Math.Min(source.EstimatedHours, constraints.MaxHours ?? int.MaxValue));

        var title = source.Title;
        if (interest is not null && !title.Contains(interest, StringComparison.OrdinalIgnoreCase))
            title = $"{title}: {Display(interest)} edition";
        else if (skill is not null && shared.Count == 0)
            title = $"{title} in {Display(skill)}";
        if (round > 0)
            title = $"{title} ({Angles[(round - 1) % Angles.Length]} take)";

        return new IdeaDraft(
            Title: Strings.Truncate(title, 200),
            Summary: Strings.Truncate(Summary(source, profile, skills, interest, hours), 4000),
            Difficulty: Difficulty.Clamp(profile.ExperienceLevel, source.Difficulty),
            Category: constraints.Category ?? source.Category,
            Tags: [.. source.Tags.Concat(interest is null ? [] : [Slug(interest)]).Distinct().Take(6)],
            Skills: skills,
            EstimatedHours: hours,
            SourceIdeaId: source.Id);
    }

    private static string Summary(Idea source, ProfileSnapshot profile, IReadOnlyList<string> skills, string? interest, int hours)
    {
        var summary = $"{source.Summary} Built with {string.Join(", ", skills.Take(4))}";
        summary += interest is null ? "." : $", and themed around {interest}.";
        if (profile.WeeklyHours > 0)
        {
            var weeks = Math.Max(1, (int)Math.Ceiling(hours / (double)profile.WeeklyHours));
            summary += $" At about {hours} h it takes roughly {weeks} week{(weeks == 1 ? "" : "s")} at {profile.WeeklyHours} h a week.";
        }
        if (!string.IsNullOrWhiteSpace(profile.Goals))
            summary += $" It works toward your goal: {profile.Goals.Trim()}";
        return summary;
    }

    private static string Display(string term) => term.Length == 0 ? term : char.ToUpperInvariant(term[0]) + term[1..];

    private static string Slug(string term) => term.Trim().ToLowerInvariant().Replace(' ', '-');

}

/// <summary>The catalog has no idea at all to build from (an empty catalog): the job fails for good.</summary>
public sealed class NoCatalogIdeasException() : Exception("The catalog has no ideas to build from.");
