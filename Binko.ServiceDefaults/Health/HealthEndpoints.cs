using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Binko.ServiceDefaults.Health;

public static class HealthEndpoints
{
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";
    public const string MetricsPath = "/metrics";

    /// <summary>Checks with this tag take part in liveness (/alive); all checks take part in readiness.</summary>
    public const string LiveTag = "live";

    /// <summary>Probe and scrape paths: polled constantly, so kept out of traces and quiet in logs.</summary>
    public static bool IsInfrastructure(PathString path) =>
        path.StartsWithSegments(HealthPath) || path.StartsWithSegments(AlivePath) || path.StartsWithSegments(MetricsPath);

    /// <summary>The "self" liveness check, and every check registered by anyone held to <see cref="HealthOptions.CheckTimeoutMs"/>.</summary>
    internal static void AddDefaultHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<HealthCheckServiceOptions>().PostConfigure<IOptions<HealthOptions>>((options, health) =>
        {
            var budget = TimeSpan.FromMilliseconds(health.Value.CheckTimeoutMs);
            foreach (var registration in options.Registrations)
            {
                var factory = registration.Factory;
                registration.Factory = services => new BudgetedHealthCheck(factory(services), budget);
            }
        });
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
    }

    /// <summary>Mapped in every environment: container probes need them. Healthy and Degraded answer 200,
    /// Unhealthy 503 (the framework's defaults), and the body never carries exception text.</summary>
    internal static void MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks(AlivePath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
    }
}
