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

    private static List<string> Words(IEnumerable<string>? words) =>
        words is null ? [] : [.. words.Select(w => w.Trim().ToLowerInvariant()).Where(w => w.Length > 0).Distinct().Order(StringComparer.Ordinal)];

    private static string? Text(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
