namespace Binko.GenerationWorker.Generation;

/// <summary>The LLM could not be reached or kept failing after its retries (or its circuit is open).</summary>
public sealed class LlmUnavailableException(string reason, bool circuitOpen, Exception? inner = null)
    : Exception($"The LLM is unavailable: {reason}", inner)
{
    /// <summary>A short label for logs and metrics ("circuit_open", "timeout", "http_500"...).</summary>
    public string Reason { get; } = reason;

    /// <summary>True when the circuit breaker refused the call: there is no point retrying the job now.</summary>
    public bool CircuitOpen { get; } = circuitOpen;
}

/// <summary>The LLM answered, but even after the repair call its answer did not fit the request.</summary>
public sealed class InvalidLlmOutputException(IReadOnlyList<string> problems)
    : Exception($"The LLM's output is invalid: {string.Join("; ", problems)}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>The job's owner has made the LLM answer their daily budget of calls already (<c>Quotas:LlmCalls</c>).</summary>
public sealed class LlmBudgetExhaustedException(int limit)
    : Exception($"The owner's {limit} LLM calls of today are spent.")
{
    public const string ErrorCode = "llm_budget_exhausted";
}
