using Binko.Data.Entities;
using Binko.Data.Generations;

namespace Binko.GenerationWorker.Generation;

/// <summary>What a generator works from: the job, its request, catalog ideas matched to the person (best first),
/// and the titles this owner was already shown (lowercase).</summary>
public sealed record GenerationContext(
    Binko.Data.Entities.Generation Job,
    GenerationRequest Request,
    IReadOnlyList<Idea> Catalog,
    IReadOnlySet<string> ShownTitles);
