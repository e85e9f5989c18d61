using Binko.Data;
using Binko.Data.Generations;
using Binko.GenerationWorker.Llm;
using Binko.GenerationWorker.Options;
using Binko.GenerationWorker.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using StackExchange.Redis;

namespace Binko.GenerationWorker.Jobs;

/// <summary>
/// Every heartbeat interval, busy or idle: writes this replica's beat (circuit state, running jobs) to the worker
/// registry the API's health and admin status read, and samples the queue depth for the metrics.
/// </summary>
public sealed partial class WorkerBeatService(
    IConnectionMultiplexer redis,
    IServiceScopeFactory scopes,
    WorkerIdentity identity,
    LlmCircuit circuit,
    GenerationMetrics metrics,
    TimeProvider time,
    IOptions<GenerationOptions> options,
    IConfiguration configuration,
    ILogger<WorkerBeatService> logger) : BackgroundService
{
    private readonly string _keyPrefix = RedisKeys.Prefix(configuration);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A beat every few seconds, busy or idle: traced, it would be a trace of its own each time.
        using var untraced = SuppressInstrumentationScope.Begin();
        do
        {
            await BeatAsync();
            await SampleQueueAsync(stoppingToken);
        }
        while (await Wait.UntilAsync(ct => Task.Delay(options.Value.Heartbeat, time, ct), stoppingToken));
    }

    private async Task BeatAsync()
    {
        try
        {
            await WorkerRegistry.BeatAsync(redis.GetDatabase(), _keyPrefix,
                new WorkerBeat(identity.Name, time.GetUtcNow(), circuit.Name, metrics.Running));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogBeatFailed(logger, exception.GetType().Name);
        }
    }

    private async Task SampleQueueAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BinkoDbContext>();
            metrics.QueueDepth(await GenerationQueue.InFlightAsync(db, stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (TransientErrors.IsInfrastructure(exception))
        {
            LogQueueSampleFailed(logger, exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker heartbeat to Redis failed ({Error}); will try again")]
    private static partial void LogBeatFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queue depth sample failed ({Error})")]
    private static partial void LogQueueSampleFailed(ILogger logger, string error);
}
