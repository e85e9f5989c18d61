using Binko.Data.Generations;

namespace Binko.GenerationWorker.Jobs;

/// <summary>What to do with a job after an attempt.</summary>
public abstract record JobResult
{
    public sealed record Complete(GenerationOutcome Outcome) : JobResult;

    public sealed record Retry(string Reason) : JobResult;

    public sealed record Fail(string ErrorCode) : JobResult;
}
