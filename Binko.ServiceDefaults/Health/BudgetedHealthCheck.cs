using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Binko.ServiceDefaults.Health;

/// <summary>
/// A check held to its budget. The framework's own timeout only cancels the check's token, and a check blocked in a
/// call that ignores it (a PING to a frozen Redis, a connection open to a frozen Postgres) would still hold the whole
/// report; this one stops waiting.
/// </summary>
internal sealed class BudgetedHealthCheck(IHealthCheck check, TimeSpan budget) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await check.CheckHealthAsync(context, cancellationToken).WaitAsync(budget, cancellationToken);
        }
        catch (TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"No answer within {budget.TotalMilliseconds:0} ms.");
        }
    }
}
