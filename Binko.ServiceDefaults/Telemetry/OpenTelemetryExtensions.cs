using Binko.ServiceDefaults.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Binko.ServiceDefaults.Telemetry;

internal static class OpenTelemetryExtensions
{
    /// <summary>Meters and activity sources named "Binko.*" are collected without each service listing them.</summary>
    public const string BinkoSources = "Binko.*";

    public static void ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var prometheus = MetricsEndpointEnabled(builder.Configuration);
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(BinkoSources);
                if (prometheus)
                    metrics.AddPrometheusExporter();
            })
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new DatabaseRootSpanSampler()))
                .AddSource(builder.Environment.ApplicationName, BinkoSources)
                .AddAspNetCoreInstrumentation(aspnet =>
                    aspnet.Filter = context => !HealthEndpoints.IsInfrastructure(context.Request.Path))
                .AddHttpClientInstrumentation());

        // As in the Aspire template: export over OTLP only when an endpoint is configured (the AppHost sets it).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
    }

    public static void MapMetricsEndpoint(this WebApplication app)
    {
        if (MetricsEndpointEnabled(app.Configuration))
            app.MapPrometheusScrapingEndpoint(HealthEndpoints.MetricsPath);
    }

    private static bool MetricsEndpointEnabled(IConfiguration configuration) =>
        configuration.GetValue(
            $"{ObservabilityOptions.SectionName}:{nameof(ObservabilityOptions.MetricsEndpointEnabled)}", true);
}
