using Binko.ServiceDefaults.Database;
using Binko.ServiceDefaults.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace Binko.ServiceDefaults.Clients;

public static class NpgsqlDbContextExtensions
{
    private const string SettingsSection = "Aspire:Npgsql:EntityFrameworkCore:PostgreSQL";

    /// <summary>
    /// Aspire's <c>AddNpgsqlDbContext</c> (a pooled <typeparamref name="TContext"/>, EF Core's retrying execution
    /// strategy, Npgsql's traces and metrics, settings from <c>Aspire:Npgsql:EntityFrameworkCore:PostgreSQL</c>) with
    /// what Binko adds: start-up fails at once when the connection string is missing (Aspire would only fail on the
    /// first use of the context), <see cref="NpgsqlConnectionDefaults"/>, the <see cref="DatabaseCircuit"/> around every
    /// attempt with its <see cref="DatabaseProbe"/>, and a health check named after the connection that reports the
    /// circuit, in place of Aspire's, which is named after the context type.
    /// </summary>
    public static void AddBinkoNpgsqlDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<DbContextOptionsBuilder>? configureDbContextOptions = null) where TContext : DbContext
    {
        builder.Services.AddOptions<DatabaseCircuitOptions>().BindConfiguration(DatabaseCircuitOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        var circuitOptions = builder.Configuration.GetSection(DatabaseCircuitOptions.SectionName).Get<DatabaseCircuitOptions>() ?? new();

        var healthCheck = true;
        var retry = true;
        DatabaseCircuit? circuit = null;
        builder.AddNpgsqlDbContext<TContext>(connectionName, settings =>
        {
            settings.ConnectionString = NpgsqlConnectionDefaults.Apply(
                ConnectionStrings.Require(settings.ConnectionString, connectionName, SettingsSection));
            circuit = new DatabaseCircuit(circuitOptions, settings.ConnectionString);
            retry = !settings.DisableRetry;
            // Aspire's DisableHealthChecks setting now decides about Binko's check, and Aspire's own is never added.
            healthCheck = !settings.DisableHealthChecks;
            settings.DisableHealthChecks = true;
        }, options =>
        {
            // Runs after Aspire's UseNpgsql, so this strategy replaces the one Aspire chose and wraps the same.
            options.UseNpgsql(npgsql => npgsql.ExecutionStrategy(dependencies => new CircuitBreakingExecutionStrategy(
                retry ? new NpgsqlRetryingExecutionStrategy(dependencies) : new NonRetryingExecutionStrategy(dependencies),
                circuit!)));
            configureDbContextOptions?.Invoke(options);
        });

        builder.Services.AddSingleton(circuit!);
        builder.Services.AddHostedService<DatabaseProbe>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        if (healthCheck)
            builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>(connectionName);
    }
}
