using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Binko.ServiceDefaults.Health;

/// <summary>
/// A check held to its budget: its token is cancelled when the budget is spent, and, since a check blocked in a call
/// that ignores the token (a PING to a frozen Redis, a connection open to a frozen Postgres) would still hold the whole
/// report, it is not waited for any longer either. Either way it is reported with its failure status.
/// </summary>
internal sealed class BudgetedHealthCheck(IHealthCheck check, TimeSpan budget) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var spent = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        spent.CancelAfter(budget);
        try
        {
            return await check.CheckHealthAsync(context, spent.Token).WaitAsync(budget, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"No answer within {budget.TotalMilliseconds:0} ms.");
        }
    }
}
