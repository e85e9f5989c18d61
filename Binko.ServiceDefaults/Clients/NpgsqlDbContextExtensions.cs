using Binko.ServiceDefaults.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Binko.ServiceDefaults.Clients;

public static class NpgsqlDbContextExtensions
{

    /// <summary>
    /// Registers a pooled <typeparamref name="TContext"/> on the Postgres database named
    /// <paramref name="connectionName"/>, as Aspire's <c>AddNpgsqlDbContext</c> does: retries on transient
    /// failures, a command timeout, a health check named after the connection, and Npgsql's traces and metrics; and
    /// <see cref="NpgsqlConnectionDefaults"/>.
    /// </summary>
    public static void AddNpgsqlDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<NpgsqlEntityFrameworkCorePostgreSQLSettings>? configureSettings = null,
        Action<DbContextOptionsBuilder>? configureDbContextOptions = null) where TContext : DbContext
    {
        var settings = new NpgsqlEntityFrameworkCorePostgreSQLSettings();
        var section = builder.Configuration.GetSection(NpgsqlEntityFrameworkCorePostgreSQLSettings.SectionName);
        section.Bind(settings);
        section.GetSection(typeof(TContext).Name).Bind(settings);
        if (builder.Configuration.GetConnectionString(connectionName) is { Length: > 0 } connectionString)
            settings.ConnectionString = connectionString;
        configureSettings?.Invoke(settings);

        var validConnectionString = NpgsqlConnectionDefaults.Apply(ConnectionStrings.Require(settings.ConnectionString,
            connectionName, NpgsqlEntityFrameworkCorePostgreSQLSettings.SectionName));

        builder.Services.AddDbContextPool<TContext>(options =>
        {
            options.UseNpgsql(validConnectionString, npgsql =>
            {
                npgsql.CommandTimeout(settings.CommandTimeout);
                if (!settings.DisableRetry)
                    npgsql.EnableRetryOnFailure();
            });
            configureDbContextOptions?.Invoke(options);
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(connectionName,
                services => ActivatorUtilities.CreateInstance<DbContextHealthCheck<TContext>>(services),
                failureStatus: null, tags: null, timeout: HealthEndpoints.DependencyCheckTimeout));
        }
        if (!settings.DisableTracing)
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddNpgsql());
        if (!settings.DisableMetrics)
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter("Npgsql"));
    }
}
