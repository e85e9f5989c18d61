using Binko.ServiceDefaults.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Binko.ServiceDefaults.Clients;

public static class NpgsqlDbContextExtensions
{
    private const string SettingsSection = "Aspire:Npgsql:EntityFrameworkCore:PostgreSQL";

    /// <summary>
    /// Aspire's <c>AddNpgsqlDbContext</c> (a pooled <typeparamref name="TContext"/>, EF Core's retrying execution
    /// strategy, Npgsql's traces and metrics, settings from <c>Aspire:Npgsql:EntityFrameworkCore:PostgreSQL</c>) with
    /// what Binko adds: start-up fails at once when the connection string is missing (Aspire would only fail on the
    /// first use of the context), <see cref="NpgsqlConnectionDefaults"/>, and a health check named after the
    /// connection and bounded by <see cref="HealthEndpoints.DependencyCheckTimeout"/> in place of Aspire's, which is
    /// named after the context type and has no time limit.
    /// </summary>
    public static void AddBinkoNpgsqlDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<DbContextOptionsBuilder>? configureDbContextOptions = null) where TContext : DbContext
    {
        var healthCheck = true;
        builder.AddNpgsqlDbContext<TContext>(connectionName, settings =>
        {
            settings.ConnectionString = NpgsqlConnectionDefaults.Apply(
                ConnectionStrings.Require(settings.ConnectionString, connectionName, SettingsSection));
            // Aspire's DisableHealthChecks setting now decides about Binko's check, and Aspire's own is never added.
            healthCheck = !settings.DisableHealthChecks;
            settings.DisableHealthChecks = true;
        }, configureDbContextOptions);

        if (healthCheck)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(connectionName,
                services => ActivatorUtilities.CreateInstance<DbContextHealthCheck<TContext>>(services),
                failureStatus: null, tags: null, timeout: HealthEndpoints.DependencyCheckTimeout));
        }
    }
}
