using System.Diagnostics;
using System.Diagnostics.Metrics;
using Binko.Data;
using Binko.Data.Retention;
using Microsoft.Extensions.Options;

namespace Binko.GenerationWorker.Retention;

/// <summary>
/// One retention round: product events older than <see cref="RetentionOptions.EventDays"/> and expired Idempotency-Keys
/// are deleted in batches of <see cref="RetentionOptions.BatchSize"/>, at most
/// <see cref="RetentionOptions.MaxBatchesPerRound"/> batches per table, so a round's work (and how long it holds
/// anything) is bounded however large the backlog. Replicas may run rounds at the same time: their batches skip each
/// other's rows (<see cref="RetentionBatches"/>). Logged, and measured on meter <c>Binko.Retention</c>.
/// </summary>
public sealed partial class RetentionSweeper
{
    public const string MeterName = "Binko.Retention";
    public const string EventsTable = "events";
    public const string IdempotencyKeysTable = "idempotency_keys";

    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<RetentionOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RetentionSweeper> _logger;
    private readonly Counter<long> _deleted;
    private readonly Histogram<double> _duration;

    public RetentionSweeper(IServiceScopeFactory scopes, IOptions<RetentionOptions> options, TimeProvider time,
        IMeterFactory meters, ILogger<RetentionSweeper> logger)
    {
        (_scopes, _options, _time, _logger) = (scopes, options, time, logger);
        var meter = meters.Create(MeterName);
        _deleted = meter.CreateCounter<long>("binko.retention.deleted", "{row}", "Rows deleted by retention, by table");
        _duration = meter.CreateHistogram<double>("binko.retention.round.duration", "s", "How long a retention round took");
    }

    /// <summary>Runs one round; returns the rows deleted per table.</summary>
    public async Task<RetentionRound> RunAsync(CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var started = Stopwatch.StartNew();
        var now = _time.GetUtcNow();
        var events = await DeleteAsync(EventsTable,
            (db, token) => RetentionBatches.DeleteEventsAsync(db, now - options.EventRetention, options.BatchSize, token), cancellationToken);
        var keys = await DeleteAsync(IdempotencyKeysTable,
            (db, token) => RetentionBatches.DeleteExpiredIdempotencyKeysAsync(db, now, options.BatchSize, token), cancellationToken);
        var round = new RetentionRound(events, keys);

        _duration.Record(started.Elapsed.TotalSeconds);
        if (round.Events + round.IdempotencyKeys > 0)
            LogRound(_logger, round.Events, options.EventDays, round.IdempotencyKeys, started.ElapsedMilliseconds);
        else
            LogNothingToDelete(_logger);
        return round;
    }

    /// <summary>Deletes batches until one comes back short (nothing older is left) or the round's limit is reached.</summary>
    private async Task<int> DeleteAsync(string table, Func<BinkoDbContext, CancellationToken, Task<int>> batch,
        CancellationToken cancellationToken)
    {
        var options = _options.Value;
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BinkoDbContext>();
        var total = 0;
        for (var batches = 0; batches < options.MaxBatchesPerRound; batches++)
        {
            var deleted = await batch(db, cancellationToken);
            total += deleted;
            _deleted.Add(deleted, new KeyValuePair<string, object?>("table", table));
            if (deleted < options.BatchSize)
                return total;
        }
        LogLimitReached(_logger, table, total);
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Events} product event(s) older than {EventDays} days and {IdempotencyKeys} expired Idempotency-Key(s) in {ElapsedMs} ms")]
    private static partial void LogRound(ILogger logger, int events, int eventDays, int idempotencyKeys, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention found nothing to delete")]
    private static partial void LogNothingToDelete(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention reached its limit for {Table} after {Rows} row(s) this round; the rest waits for the next round")]
    private static partial void LogLimitReached(ILogger logger, string table, int rows);
}

/// <summary>Rows one retention round deleted.</summary>
public sealed record RetentionRound(int Events, int IdempotencyKeys);
