using Binko.ServiceDefaults.Health;
using Binko.ServiceDefaults.Http;
using Binko.ServiceDefaults.Logging;
using Binko.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Binko.ServiceDefaults;

/// <summary>
/// What every Binko service shares, in the shape of the .NET Aspire ServiceDefaults template:
/// telemetry, health, service discovery and resilient HttpClients, plus Binko's request pipeline.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Everything in <see cref="AddBasicServiceDefaults"/>, plus service discovery and the
    /// standard resilience handler on every HttpClient, for services that call out over HTTP.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddBasicServiceDefaults();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>Telemetry, logging, health checks and problem details, without outbound HTTP defaults.</summary>
    public static TBuilder AddBasicServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<ObservabilityOptions>()
            .BindConfiguration(ObservabilityOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.ConfigureLogging();
        builder.ConfigureLogRedaction();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddBinkoProblemDetails();

        return builder;
    }

    /// <summary>The shared request pipeline: request ids, one log line per request, and problem details
    /// for exceptions and empty error responses. Call it first, right after Build().</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseRequestId();
        app.UseRequestLogging();
        app.UseBinkoProblemDetails();
        return app;
    }

    /// <summary>Maps /health (readiness), /alive (liveness) and, unless switched off, /metrics.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthEndpoints();
        app.MapMetricsEndpoint();
        return app;
    }
}
