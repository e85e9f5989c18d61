using Binko.GenerationWorker.Jobs;
using Binko.GenerationWorker.Options;
using Binko.GenerationWorker.Telemetry;
using Microsoft.Extensions.Options;

namespace Binko.GenerationWorker.Extensions;

public static class GenerationJobExtensions
{
    /// <summary>The job loop: options (the LLM-call budgets too), claim loops woken by LISTEN/NOTIFY, the runner, the worker heartbeat and metrics.</summary>
    public static void AddGenerationJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GenerationOptions>()
            .BindConfiguration(GenerationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GenerationOptions>, LlmConnectionValidation>();
        builder.Services.AddOptions<LlmCallQuotaOptions>()
            .BindConfiguration(LlmCallQuotaOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<WorkerIdentity>();
        builder.Services.AddSingleton<GenerationMetrics>();
        builder.Services.AddSingleton(sp => new JobSignal(sp.GetRequiredService<IOptions<GenerationOptions>>().Value.ClaimLoops));
        builder.Services.AddSingleton<GenerationSlots>();
        builder.Services.AddSingleton<ResultCache>();
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.AddHostedService<QueueListener>();
        builder.Services.AddHostedService<JobLoop>();
        builder.Services.AddHostedService<WorkerBeatService>();
    }
}
