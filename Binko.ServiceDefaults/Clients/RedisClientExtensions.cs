using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Binko.ServiceDefaults.Clients;

public static class RedisClientExtensions
{
    private const string SettingsSection = "Aspire:StackExchange:Redis";

    /// <summary>
    /// Aspire's <c>AddRedisClient</c> (one shared <c>IConnectionMultiplexer</c> that, unless configured otherwise,
    /// does not abort on a failed first connect, so the service starts while Redis is down and keeps reconnecting;
    /// Redis command traces; settings from <c>Aspire:StackExchange:Redis</c>) with what Binko adds: start-up fails at
    /// once when the connection string is missing (Aspire would only fail on the first use of the client), and a PING
    /// health check named after the connection in place of Aspire's, which is named "StackExchange.Redis". Redis is a
    /// soft dependency of Binko's services (limits fall back to in-process, caches miss), so a failed PING makes them
    /// Degraded, still in rotation, not Unhealthy.
    /// </summary>
    public static void AddBinkoRedisClient(this IHostApplicationBuilder builder, string connectionName)
    {
        var healthCheck = true;
        builder.AddRedisClient(connectionName, settings =>
        {
            ConnectionStrings.Require(settings.ConnectionString, connectionName, SettingsSection);
            // Aspire's DisableHealthChecks setting now decides about Binko's check, and Aspire's own is never added.
            healthCheck = !settings.DisableHealthChecks;
            settings.DisableHealthChecks = true;
        });

        if (healthCheck)
            builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(connectionName, failureStatus: HealthStatus.Degraded);
    }
}
