using Binko.Api.Generations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Binko.Api.Extensions;

public static class GenerationExtensions
{
    /// <summary>Generation intake (idempotency, cache, backpressure, quotas and in-flight caps), reads with long-polling, and the
    /// worker-liveness health check.</summary>
    public static void AddGenerations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GenerationOptions>().BindConfiguration(GenerationOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GenerationOptions>, WaitTimeoutValidation>();
        builder.Services.AddOptions<QuotaOptions>().BindConfiguration(QuotaOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<InFlightQuotaOptions>().BindConfiguration(InFlightQuotaOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();

        builder.Services.AddSingleton<GenerationMetrics>();
        builder.Services.AddSingleton<LiveWorkers>();
        builder.Services.AddSingleton<GenerationEvents>();
        builder.Services.AddHostedService(services => services.GetRequiredService<GenerationEvents>());
        builder.Services.AddSingleton<WaitLimiter>();
        builder.Services.AddCaller();
        builder.Services.AddScoped<GenerationIntake>();
        builder.Services.AddScoped<GenerationReader>();

        // Degraded, not Unhealthy: the API still serves everything else without workers.
        builder.Services.AddHealthChecks().AddCheck<WorkersHealthCheck>(WorkersHealthCheck.Name, failureStatus: HealthStatus.Degraded);
    }
}
