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
}
