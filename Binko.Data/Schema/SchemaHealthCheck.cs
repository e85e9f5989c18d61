using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Binko.Data.Schema;

/// <summary>Unhealthy until the schema is current, so no replica takes traffic against an old schema.</summary>
internal sealed class SchemaHealthCheck(SchemaState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsReady
            ? HealthCheckResult.Healthy($"Schema {state.Status}.")
            : HealthCheckResult.Unhealthy($"Schema {state.Status}."));
}
