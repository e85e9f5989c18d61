using Binko.GenerationWorker.Retention;

namespace Binko.GenerationWorker.Extensions;

public static class RetentionExtensions
{
    /// <summary>Deletes old product events and expired Idempotency-Keys on a schedule, in bounded batches.</summary>
    public static void AddRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>()
            .BindConfiguration(RetentionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RetentionSweeper>();
        builder.Services.AddHostedService<RetentionService>();
    }
}
