using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Binko.Api.RateLimiting;

/// <summary>"rate-limiter": Degraded while limits are enforced in-process because Redis cannot decide.</summary>
internal sealed class RateLimiterHealthCheck(RedisWindowCounter redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(redis.IsDegraded
            ? HealthCheckResult.Degraded("Redis is unavailable: limits are enforced per replica, in-process.")
            : HealthCheckResult.Healthy("Limits are shared across replicas through Redis."));
}
