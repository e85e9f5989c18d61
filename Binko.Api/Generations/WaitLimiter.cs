using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Binko.Api.Generations;

/// <summary>
/// At most <see cref="GenerationOptions.MaxWaitsPerCaller"/> long-polls per caller open at once in this replica: a
/// concurrency limiter per owner, without a queue (System.Threading.RateLimiting, which also drops a caller's limiter
/// once it has been idle a while). A request over the bound does not wait: it answers with the current state.
/// </summary>
public sealed class WaitLimiter(IOptions<GenerationOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(owner =>
        RateLimitPartition.GetConcurrencyLimiter(owner, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.MaxWaitsPerCaller,
            QueueLimit = 0,
        }));

    /// <summary>A lease to dispose when the wait ends; not acquired when <paramref name="owner"/> holds enough already.</summary>
    public RateLimitLease TryEnter(string owner) => _limiter.AttemptAcquire(owner);

    public void Dispose() => _limiter.Dispose();
}
