using Polly.CircuitBreaker;

namespace Binko.GenerationWorker.Llm;

/// <summary>The LLM circuit breaker's state, for health, the worker registry and logs. Offline there is no circuit.</summary>
public sealed class LlmCircuit
{
    public CircuitBreakerStateProvider Provider { get; } = new();

    public bool Enabled { get; init; }

    public CircuitState State => Enabled ? Provider.CircuitState : CircuitState.Closed;

    /// <summary>"closed", "open", "half-open" (or "isolated"), as the worker registry reports it.</summary>
    public string Name => State switch
    {
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half-open",
        CircuitState.Isolated => "isolated",
        _ => "closed",
    };
}
