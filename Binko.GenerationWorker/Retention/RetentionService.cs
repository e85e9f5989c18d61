using Binko.Data.Schema;
using Binko.GenerationWorker.Jobs;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace Binko.GenerationWorker.Retention;

/// <summary>
/// Runs a <see cref="RetentionSweeper"/> round once the schema is ready, then every
/// <see cref="RetentionOptions.IntervalSeconds"/> after the previous round ended. A database outage costs a round, which
/// is logged; the next one catches up (a round is bounded, so a backlog drains over several).
/// </summary>
public sealed partial class RetentionService(
    RetentionSweeper sweeper,
    SchemaState schema,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
            return;
        // Housekeeping, not a request's story: its statements stay out of the traces, as the other loops' do.
        using var untraced = SuppressInstrumentationScope.Begin();
        if (!await Wait.UntilAsync(schema.WaitUntilReadyAsync, stoppingToken))
            return;
        do
        {
            try
            {
                await sweeper.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (TransientErrors.IsInfrastructure(exception))
            {
                LogRoundFailed(logger, exception.GetType().Name, exception.Message);
            }
        }
        while (await Wait.UntilAsync(ct => Task.Delay(options.Value.Interval, time, ct), stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A retention round failed ({Error}: {Detail}); the next round catches up")]
    private static partial void LogRoundFailed(ILogger logger, string error, string detail);
}
