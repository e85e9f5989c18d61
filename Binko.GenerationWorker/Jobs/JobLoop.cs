using Binko.Data;
using Binko.Data.Generations;
using Binko.Data.Schema;
using Binko.GenerationWorker.Options;
using Binko.GenerationWorker.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace Binko.GenerationWorker.Jobs;

/// <summary>
/// <see cref="GenerationOptions.ClaimLoops"/> claim loops. Each claims the next due job (FOR UPDATE SKIP LOCKED, so
/// replicas never take the same one), runs it, and claims again; when the queue is empty it sleeps until a NOTIFY
/// (or a retry falling due) wakes it, or the poll interval passes. There are a few more loops than generation slots
/// (<see cref="GenerationSlots"/>), so a slot never waits for a claim.
/// </summary>
public sealed partial class JobLoop(
    IServiceScopeFactory scopes,
    SchemaState schema,
    JobRunner runner,
    JobSignal signal,
    WorkerIdentity identity,
    GenerationMetrics metrics,
    IOptions<GenerationOptions> options,
    ILogger<JobLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Claims are not traced, or every empty poll would be a trace of its own; JobRunner traces each job it runs.
        using var untraced = SuppressInstrumentationScope.Begin();
        if (!await Wait.UntilAsync(schema.WaitUntilReadyAsync, stoppingToken))
            return;
        LogStarted(logger, identity.Name, options.Value.ClaimLoops, options.Value.Concurrency);
        await Task.WhenAll(Enumerable.Range(0, options.Value.ClaimLoops).Select(_ => ClaimLoopAsync(stoppingToken)));
    }

    private async Task ClaimLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Binko.Data.Entities.Generation? job;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<BinkoDbContext>();
                job = await GenerationQueue.ClaimAsync(db, identity.Name, options.Value.Lease, stoppingToken);
                metrics.Claimed(found: job is not null);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (TransientErrors.IsInfrastructure(exception))
            {
                LogClaimFailed(logger, exception.GetType().Name, exception.Message);
                if (!await Wait.UntilAsync(ct => Task.Delay(options.Value.Poll, ct), stoppingToken))
                    return;
                continue;
            }

            if (job is not null)
                await runner.RunAsync(job, stoppingToken);
            else if (!await Wait.UntilAsync(ct => signal.WaitAsync(options.Value.Poll, ct), stoppingToken))
                return;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} is taking generation jobs with {ClaimLoops} claim loop(s) for {Concurrency} generation slot(s)")]
    private static partial void LogStarted(ILogger logger, string worker, int claimLoops, int concurrency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not claim a job ({Error}: {Detail}); trying again after the poll interval")]
    private static partial void LogClaimFailed(ILogger logger, string error, string detail);
}
