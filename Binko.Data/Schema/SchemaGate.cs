using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;

namespace Binko.Data.Schema;

/// <summary>
/// Brings this process to a current schema: applies migrations and the seed when it owns the schema,
/// otherwise waits until someone else has. Retries with back-off while the database is unreachable.
/// </summary>
internal sealed partial class SchemaGate(
    IServiceScopeFactory scopes,
    SchemaState state,
    SchemaGateOptions options,
    ILogger<SchemaGate> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Start-up work and, while behind, a check every poll interval: not traced, or each would be a trace of its own.
        using var untraced = SuppressInstrumentationScope.Begin();
        var delay = options.PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await TryBringUpToDateAsync(stoppingToken))
                {
                    state.Ready();
                    LogReady(logger);
                    return;
                }
                delay = options.PollInterval;
            }
            catch (Exception exception) when (exception is DbException or TimeoutException or InvalidOperationException { InnerException: DbException })
            {
                state.NotReady("unknown: the database is not reachable");
                LogUnreachable(logger, exception.GetType().Name, delay.TotalSeconds);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
            await Task.Delay(delay, stoppingToken);
        }
    }

    private async Task<bool> TryBringUpToDateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BinkoDbContext>();
        if (options.ApplyMigrations)
        {
            await DatabaseMigrator.MigrateAsync(db, cancellationToken);
            return true;
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        if (pending == 0)
            return true;
        state.NotReady($"behind: {pending} migration(s) pending");
        LogWaiting(logger, pending);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is up to date")]
    private static partial void LogReady(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for {Pending} pending migration(s); set Database:ApplyMigrations=true on the API to apply them")]
    private static partial void LogWaiting(ILogger logger, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable ({Error}); retrying in {DelaySeconds} s")]
    private static partial void LogUnreachable(ILogger logger, string error, double delaySeconds);
}
