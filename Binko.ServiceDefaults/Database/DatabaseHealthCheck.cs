using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Binko.ServiceDefaults.Database;

/// <summary>
/// The <see cref="DatabaseCircuit"/>'s state and a <c>SELECT 1</c>: while the circuit is open the answer is immediate
/// (Unhealthy, the database is not touched); while it is closed the ping must be answered within the probe timeout.
/// </summary>
internal sealed class DatabaseHealthCheck(DatabaseCircuit circuit) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!circuit.IsClosed)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"circuit {circuit.State}: requests that need the database answer 503 database_unavailable");
        }
        try
        {
            await circuit.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy("circuit closed");
        }
        catch (Exception exception) when (exception is DbException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The database does not answer (circuit closed).");
        }
    }
}
