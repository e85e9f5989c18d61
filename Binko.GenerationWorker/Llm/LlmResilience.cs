using Binko.GenerationWorker.Options;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Binko.GenerationWorker.Llm;

/// <summary>
/// The LLM's HTTP pipeline, outermost first: a total timeout; retries with jittered exponential back-off that honour
/// <c>Retry-After</c> / <c>retry-after-ms</c> (capped at <see cref="GenerationOptions.MaxRetryAfterSeconds"/>); a circuit
/// breaker that opens when every one of <see cref="GenerationOptions.CircuitFailureThreshold"/> attempts in its window
/// failed (so: that many consecutive failures), stays open <see cref="GenerationOptions.CircuitBreakSeconds"/>, then lets
/// one probe through (half-open); the outbound rate limit shared by all replicas; and a timeout per attempt.
/// The OpenAI SDK's own retries are off, so attempts are not multiplied.
/// </summary>
public static class LlmResilience
{
    public const string PipelineName = "llm";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, GenerationOptions options,
        LlmCircuit circuit, OutboundRateLimiter limiter, TimeProvider time)
    {
        pipeline.AddTimeout(options.LlmTotalTimeout);
        if (options.LlmRetries > 0)
        {
            var cap = TimeSpan.FromSeconds(options.MaxRetryAfterSeconds);
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.LlmRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMs),
                ShouldRetryAfterHeader = false,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter.From(args.Outcome.Result, cap, time)),
            });
        }
        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 1.0,
            MinimumThroughput = options.CircuitFailureThreshold,
            SamplingDuration = TimeSpan.FromSeconds(options.CircuitSamplingSeconds),
            BreakDuration = TimeSpan.FromSeconds(options.CircuitBreakSeconds),
            StateProvider = circuit.Provider,
        });
        pipeline.AddRateLimiter(limiter.Strategy());
        pipeline.AddTimeout(options.AttemptTimeout);
    }
}
