using Binko.Data.Generations;

namespace Binko.GenerationWorker.Generation;

/// <summary>The built-in generator when no LLM is configured: no network, deterministic, labelled "binko-offline".</summary>
public sealed class OfflineIdeaGenerator : IIdeaGenerator
{
    public Task<GenerationOutcome> GenerateAsync(GenerationContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new GenerationOutcome(LlmConnection.OfflineModel, CatalogIdeaAdapter.Build(context)));
}
