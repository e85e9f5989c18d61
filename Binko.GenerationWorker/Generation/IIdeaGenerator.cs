using Binko.Data.Generations;

namespace Binko.GenerationWorker.Generation;

/// <summary>Produces a job's ideas: the LLM, or the offline generator when no LLM is configured.</summary>
public interface IIdeaGenerator
{
    Task<GenerationOutcome> GenerateAsync(GenerationContext context, CancellationToken cancellationToken);
}
