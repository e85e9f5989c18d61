using Binko.Data.Generations;

namespace Binko.GenerationWorker.Jobs;

/// <summary>What to do with a job after an attempt.</summary>
public abstract record JobResult
{
    /// <summary>Store <paramref name="Outcome"/>; also in the response cache under <paramref name="CacheKey"/>, unless null.</summary>
    public sealed record Complete(GenerationOutcome Outcome, string? CacheKey = null) : JobResult;

    public sealed record Retry(string Reason) : JobResult;

    public sealed record Fail(string ErrorCode) : JobResult;
}
