using System.ClientModel;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Binko.GenerationWorker.Llm;

/// <summary>Which exceptions from the chat client mean "the LLM is unavailable" (after the HTTP pipeline's own
/// retries), and a short reason for logs and metrics. Our own cancellation is not one of them.</summary>
public sealed record LlmFailure(string Reason, bool CircuitOpen)
{
    public static LlmFailure? Classify(Exception exception, CancellationToken cancellationToken)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case BrokenCircuitException:
                    return new LlmFailure("circuit_open", CircuitOpen: true);
                case TimeoutRejectedException:
                    return new LlmFailure("timeout", false);
                case RateLimiterRejectedException:
                    return new LlmFailure("rate_limited", false);
                case ClientResultException { Status: > 0 } result:
                    return new LlmFailure($"http_{result.Status}", false);
                case HttpRequestException:
                    return new LlmFailure("network", false);
                // The connection broke while the SDK read a response whose headers had already come: outside the HTTP
                // pipeline's retries, so the job is tried again (or degraded) like any other unavailable LLM.
                case IOException:
                    return new LlmFailure("network", false);
                case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                    return new LlmFailure("timeout", false);
            }
        }
        return exception is ClientResultException ? new LlmFailure("network", false) : null;
    }
}
