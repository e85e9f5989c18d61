using Binko.Data.Generations;

namespace Binko.GenerationWorker.Generation;

/// <summary>The built-in generator when no LLM is configured: no network, deterministic, labelled "binko-offline".</summary>
public sealed class OfflineIdeaGenerator : IIdeaGenerator
{
    public Task<GenerationOutcome> GenerateAsync(GenerationContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new GenerationOutcome(LlmConnection.OfflineModel, Ideas(context)));

    /// <summary>Catalog ideas adapted to the person, or the offline revision of the idea being refined.</summary>
    public static IReadOnlyList<IdeaDraft> Ideas(GenerationContext context) =>
        context.IsRefinement ? OfflineRefinement.Build(context) : CatalogIdeaAdapter.Build(context);
}
