using Binko.Data.Generations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Binko.Api.Generations;

/// <summary>Degraded when no generation worker has sent a heartbeat for a minute (jobs would only queue up), or
/// when every live worker's LLM circuit is open (jobs complete degraded).</summary>
public sealed class WorkersHealthCheck(LiveWorkers liveWorkers) : IHealthCheck
{
    public const string Name = "generation-workers";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var workers = await liveWorkers.ListAsync();
            if (workers.Count == 0)
                return HealthCheckResult.Degraded("No generation worker heartbeat in the last 60 s.");
            if (workers.All(w => w.Circuit == "open"))
                return HealthCheckResult.Degraded($"{workers.Count} worker(s) alive; the LLM circuit is open on all of them.");
            return HealthCheckResult.Healthy($"{workers.Count} worker(s) alive.");
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return HealthCheckResult.Degraded("Worker heartbeats are unreadable while Redis is unavailable.");
        }
    }
}
