using Binko.Api.Models;
using Binko.Data.Entities;
using Binko.Data.Generations;

namespace Binko.Api.Generations;

/// <summary>Turns what a client sent into the normalised <see cref="GenerationRequest"/> whose hash keys the cache:
/// lists trimmed, lowercase, de-duplicated and sorted, so equivalent requests hash alike.</summary>
public static class GenerationRequests
{
    public static GenerationRequest Normalize(ProfileSnapshot profile, int numIdeas, GenerationConstraintsInput? constraints) =>
        new(profile with { Skills = Words(profile.Skills), Interests = Words(profile.Interests), Goals = Text(profile.Goals) },
            numIdeas,
            constraints is null
                ? GenerationConstraints.None
                : new GenerationConstraints(constraints.Category, constraints.MaxHours,
                    Words(constraints.UseTechnologies), Words(constraints.AvoidTechnologies)));

    public static ProfileSnapshot Snapshot(GenerationProfileInput input) =>
        new(input.ExperienceLevel!.Value, input.Skills ?? [], input.Interests ?? [], input.WeeklyHours ?? 0, input.Goals);

    public static ProfileSnapshot Snapshot(Profile profile) =>
        new(profile.ExperienceLevel, profile.Skills, profile.Interests, profile.WeeklyHours, profile.Goals);

    /// <summary>
    /// What a request asks that no idea could ever give, by the field a client sent (empty when nothing): a technology
    /// both to use and to avoid, or only skills to avoid (every idea must use one of the person's skills and none of
    /// the technologies to avoid). The worker would ask the LLM again and again for such a request, so the intake
    /// refuses it. <paramref name="request"/> is normalised (lowercase), as the worker compares it.
    /// </summary>
    public static Dictionary<string, string[]> Contradictions(GenerationRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var avoid = request.Constraints.AvoidTechnologies.ToHashSet();
        if (request.Constraints.UseTechnologies.Where(avoid.Contains).ToList() is { Count: > 0 } both)
        {
            var message = $"Both to use and to avoid: {string.Join(", ", both)}.";
            errors[UseTechnologiesField] = [message];
            errors[AvoidTechnologiesField] = [message];
        }
        var skills = request.Profile.Skills;
        if (skills.Count > 0 && skills.All(avoid.Contains))
        {
            var message = $"Every idea uses one of the person's skills and none of the technologies to avoid, and all of the " +
                $"skills ({string.Join(", ", skills)}) are to be avoided; keep at least one skill out of avoid_technologies.";
            errors[SkillsField] = [message];
            errors[AvoidTechnologiesField] = [.. errors.GetValueOrDefault(AvoidTechnologiesField, []), message];
        }
        return errors;
    }

    private const string SkillsField = "profile.skills";
    private const string UseTechnologiesField = "constraints.use_technologies";
    private const string AvoidTechnologiesField = "constraints.avoid_technologies";

    private static List<string> Words(IEnumerable<string>? words) =>
        words is null ? [] : [.. words.Select(w => w.Trim().ToLowerInvariant()).Where(w => w.Length > 0).Distinct().Order(StringComparer.Ordinal)];

    private static string? Text(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
