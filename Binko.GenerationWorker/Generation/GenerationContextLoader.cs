using Binko.Data;
using Binko.Data.Entities;
using Binko.Data.Generations;
using Microsoft.EntityFrameworkCore;

namespace Binko.GenerationWorker.Generation;

/// <summary>Loads a job's context: what the owner's feedback teaches, catalog ideas ranked for the person (skills,
/// interests, level, full text, liked categories; never the sources of rejected ideas), within the request's
/// constraints, and the titles the owner was shown before. A refinement needs only the idea it refines.</summary>
public static class GenerationContextLoader
{
    /// <summary>Catalog ideas a generator gets: enough for a varied batch, few enough for a short prompt.</summary>
    public static int CatalogSize(int numIdeas) => Math.Max(8, numIdeas * 2);

    public static async Task<GenerationContext> LoadAsync(BinkoDbContext db, Binko.Data.Entities.Generation job, GenerationRequest request,
        CancellationToken cancellationToken)
    {
        if (request.Refinement is { } refinement)
        {
            var original = await db.GeneratedIdeas.AsNoTracking()
                .SingleOrDefaultAsync(idea => idea.Id == refinement.IdeaId
                    && db.Generations.Any(g => g.Id == idea.GenerationId && g.OwnerId == job.OwnerId), cancellationToken)
                ?? throw new RefinedIdeaMissingException(refinement.IdeaId);
            return new GenerationContext(job, request, [], new HashSet<string>(), LearningSignals.None, original);
        }

        var learning = await LearningSignals.LoadAsync(db, job.OwnerId, cancellationToken);
        var catalog = await MatchCatalogAsync(db, request, learning, CatalogSize(request.NumIdeas), relaxed: false, cancellationToken);
        if (catalog.Count == 0)
            catalog = await MatchCatalogAsync(db, request, learning, CatalogSize(request.NumIdeas), relaxed: true, cancellationToken);

        var shown = await ShownTitles.LoadAsync(db, job.OwnerId, cancellationToken);
        return new GenerationContext(job, request, catalog, shown, learning);
    }

    /// <summary>Ranked by shared skills (×3), interests among the tags or as the category (×2), full-text relevance of
    /// interests and skills (×4), the exact level (+1) and a category of an idea they liked (+1). Relaxed drops category,
    /// hours and level filters (used only when nothing matches them); avoided technologies and the catalog ideas behind
    /// rejected ones are always excluded.</summary>
    private static Task<List<Idea>> MatchCatalogAsync(BinkoDbContext db, GenerationRequest request, LearningSignals learning,
        int limit, bool relaxed, CancellationToken cancellationToken)
    {
        var profile = request.Profile;
        var constraints = request.Constraints;
        string[] skills = [.. profile.Skills.Concat(constraints.UseTechnologies).Select(Strings.Lower).Distinct()];
        string[] interests = [.. profile.Interests.Select(Strings.Lower).Distinct()];
        string[] avoid = [.. constraints.AvoidTechnologies.Select(Strings.Lower)];
        string[] difficulties = relaxed
            ? ["beginner", "intermediate", "advanced"]
            : [.. Difficulty.Allowed(profile.ExperienceLevel).Select(Difficulty.Name)];
        var category = relaxed ? null : constraints.Category?.ToLowerInvariant();
        var maxHours = relaxed ? null : constraints.MaxHours;
        var level = Difficulty.Name(profile.ExperienceLevel);
        var text = string.Join(" or ", interests.Concat(skills).Select(term => term.Replace('-', ' ')));
        Guid[] rejectedSources = [.. learning.Rejected.Select(idea => idea.SourceIdeaId).OfType<Guid>().Distinct()];
        string[] likedCategories = [.. learning.Liked.Select(idea => idea.Category).Distinct()];

        return db.Ideas.FromSql($"""
            SELECT *, xmin FROM ideas
            WHERE difficulty = ANY({difficulties})
              AND NOT (skills && {avoid})
              AND id <> ALL({rejectedSources})
              AND ({category}::text IS NULL OR category = {category}::text)
              AND ({maxHours}::int IS NULL OR estimated_hours <= {maxHours}::int)
            ORDER BY
                cardinality(ARRAY(SELECT unnest(skills) INTERSECT SELECT unnest({skills}::text[]))) * 3
              + cardinality(ARRAY(SELECT unnest(tags) INTERSECT SELECT unnest({interests}::text[]))) * 2
              + CASE WHEN category = ANY({interests}) THEN 2 ELSE 0 END
              + ts_rank(search_vector, websearch_to_tsquery('english', {text})) * 4
              + CASE WHEN difficulty = {level} THEN 1 ELSE 0 END
              + CASE WHEN category = ANY({likedCategories}) THEN 1 ELSE 0 END DESC,
              slug
            LIMIT {limit}
            """).AsNoTracking().ToListAsync(cancellationToken);
    }

}
