using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Binko.Data.Schema;

public static class SchemaGateExtensions
{
    /// <summary>Name of the readiness check that stays Unhealthy while the schema is behind.</summary>
    public const string HealthCheckName = "schema";

    /// <summary>Registers the <see cref="SchemaGate"/>, its <see cref="SchemaState"/> and the "schema" health check.
    /// Requires a registered <see cref="BinkoDbContext"/>.</summary>
    public static void AddSchemaGate(this IHostApplicationBuilder builder, SchemaGateOptions options)
    {
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<SchemaState>();
        builder.Services.AddHostedService<SchemaGate>();
        builder.Services.AddHealthChecks().AddCheck<SchemaHealthCheck>(HealthCheckName);
    }
}
