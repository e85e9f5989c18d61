using Binko.Data;
using Binko.Data.Generations;
using OpenTelemetry;

namespace Binko.GenerationWorker.Jobs;

/// <summary>
/// Extends a claim's lease every heartbeat interval, on its own DbContext. When the heartbeat says another claim holds
/// the job now (another worker's, or another loop's of this one after this claim stalled past its lease),
/// <see cref="Lost"/> is cancelled: the job stops and writes nothing.
/// </summary>
public sealed partial class LeaseKeeper : IAsyncDisposable
{
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LeaseKeeper(IServiceScopeFactory scopes, Binko.Data.Entities.Generation claim, TimeSpan lease, TimeSpan interval, ILogger logger) =>
        _loop = KeepAsync(scopes, claim, lease, interval, logger);

    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    private async Task KeepAsync(IServiceScopeFactory scopes, Binko.Data.Entities.Generation claim, TimeSpan lease, TimeSpan interval, ILogger logger)
    {
        // Heartbeats are bookkeeping, not part of the job's story: they stay out of its trace.
        using var untraced = SuppressInstrumentationScope.Begin();
        await Task.Yield();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _stop.Token);
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<BinkoDbContext>();
                if (!await GenerationQueue.HeartbeatAsync(db, claim, lease, _stop.Token))
                {
                    LogLeaseLost(logger, claim.Id);
                    await _lost.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (TransientErrors.IsInfrastructure(exception))
            {
                // The lease may run out meanwhile; then the next heartbeat reports it lost.
                LogHeartbeatFailed(logger, claim.Id, exception.GetType().Name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _lost.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease on generation {JobId}: another claim holds it now; this attempt writes nothing")]
    private static partial void LogLeaseLost(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of generation {JobId} failed ({Error}); will try again")]
    private static partial void LogHeartbeatFailed(ILogger logger, Guid jobId, string error);
}
