using Binko.Data.Entities;
using Binko.Data.Generations;

namespace Binko.GenerationWorker.Generation;

/// <summary>What a generator works from: the job, its request, catalog ideas matched to the person (best first),
/// the titles this owner was already shown (lowercase), what their feedback teaches, and, for a refinement, the idea
/// being refined.</summary>
public sealed record GenerationContext(
    Binko.Data.Entities.Generation Job,
    GenerationRequest Request,
    IReadOnlyList<Idea> Catalog,
    IReadOnlySet<string> ShownTitles,
    LearningSignals Learning,
    GeneratedIdea? Original = null)
{
    public bool IsRefinement => Original is not null;

    /// <summary>
    /// The response-cache key of <paramref name="outcome"/>, made from what produced it: the request and the model that
    /// answered. Null when it must not be cached: a refinement (one person's idea), a degraded result, or one that this
    /// person's feedback shaped, which is theirs alone whatever the API saw when it queued the job (feedback given
    /// since then is in <see cref="Learning"/>).
    /// </summary>
    public string? CacheKey(GenerationOutcome outcome) =>
        IsRefinement || outcome.Degraded || Learning.ShapesResults ? null : Request.ContentHash(outcome.Model);
}
