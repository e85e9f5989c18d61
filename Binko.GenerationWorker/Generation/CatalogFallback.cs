using Binko.Data.Generations;

namespace Binko.GenerationWorker.Generation;

/// <summary>Graceful degradation: catalog ideas matched to the profile (or, for a refinement, the offline revision)
/// when the LLM stays unavailable. Degraded results refund the quota unit and are never cached.</summary>
public static class CatalogFallback
{
    public const string Model = "binko-catalog";

    public static GenerationOutcome Build(GenerationContext context) =>
        new(Model, OfflineIdeaGenerator.Ideas(context), Degraded: true);
}
