using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Binko.ServiceDefaults.Clients;

/// <summary>
/// Healthy when the database answers <c>SELECT 1</c> on the context's connection. It goes around EF Core's
/// retrying execution strategy on purpose: a probe must answer within seconds, not retry for a minute.
/// </summary>
internal sealed class DbContextHealthCheck<TContext>(TContext db) : IHealthCheck where TContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connection = db.Database.GetDbConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (DbException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The database does not answer.");
        }
        finally
        {
            await connection.CloseAsync();
        }
    }
}
