using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Binko.ServiceDefaults.Database;

/// <summary>
/// A <c>SELECT 1</c> probe through the <see cref="DatabaseCircuit"/>, so the check reports the circuit's state: while it
/// is open the answer is immediate (Unhealthy, the database is not touched); once the break is over the check may be
/// the probe that closes it.
/// </summary>
internal sealed class DatabaseHealthCheck(DatabaseCircuit circuit) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await circuit.ProbeAsync(cancellationToken);
            return HealthCheckResult.Healthy($"circuit {circuit.State}");
        }
        catch (DatabaseUnavailableException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"circuit {circuit.State}: requests that need the database answer 503 database_unavailable");
        }
        catch (Exception exception) when (exception is DbException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The database does not answer (circuit {circuit.State}).");
        }
    }
}
