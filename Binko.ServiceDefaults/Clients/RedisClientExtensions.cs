using Binko.ServiceDefaults.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Binko.ServiceDefaults.Clients;

public static class RedisClientExtensions
{
    /// <summary>
    /// Registers one shared <see cref="IConnectionMultiplexer"/> for the Redis named <paramref name="connectionName"/>,
    /// as Aspire's <c>AddRedisClient</c> does: it never aborts on a failed first connect (it keeps reconnecting,
    /// so the service starts while Redis is down) and has a health check named after the connection.
    /// </summary>
    public static void AddRedisClient(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<StackExchangeRedisSettings>? configureSettings = null,
        Action<ConfigurationOptions>? configureOptions = null)
    {
        var settings = new StackExchangeRedisSettings();
        builder.Configuration.GetSection(StackExchangeRedisSettings.SectionName).Bind(settings);
        if (builder.Configuration.GetConnectionString(connectionName) is { Length: > 0 } connectionString)
            settings.ConnectionString = connectionString;
        configureSettings?.Invoke(settings);

        var options = ConfigurationOptions.Parse(
            ConnectionStrings.Require(settings.ConnectionString, connectionName, StackExchangeRedisSettings.SectionName));
        options.AbortOnConnectFail = false;
        configureOptions?.Invoke(options);

        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        if (!settings.DisableHealthChecks)
            builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(connectionName, timeout: HealthEndpoints.DependencyCheckTimeout);
    }
}
