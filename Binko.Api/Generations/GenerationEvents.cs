using System.Collections.Concurrent;
using Binko.Data.Generations;
using Npgsql;

namespace Binko.Api.Generations;

/// <summary>
/// Wakes long-polling requests when a generation finishes: one LISTEN connection on
/// <see cref="GenerationQueue.FinishedChannel"/> per API replica. Waiters also re-read the row every second, so a
/// lost notification (or a lost connection) only delays an answer, never loses it.
/// </summary>
public sealed partial class GenerationEvents(IConfiguration configuration, ILogger<GenerationEvents> logger) : BackgroundService
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiters = new();

    /// <summary>Completes when <paramref name="id"/> is reported finished. Register before reading the row.</summary>
    public Waiter Register(Guid id) => new(this, id, _waiters.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(configuration.GetConnectionString("binkodb"));
                connection.Notification += (_, e) => Signal(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {GenerationQueue.FinishedChannel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (NpgsqlException exception)
            {
                LogListenFailed(logger, exception.GetType().Name, ReconnectDelay.TotalSeconds);
                await Task.Delay(ReconnectDelay, stoppingToken);
            }
        }
    }

    private void Signal(string payload)
    {
        if (Guid.TryParse(payload, out var id) && _waiters.TryRemove(id, out var waiter))
            waiter.TrySetResult();
    }

    private void Forget(Guid id, TaskCompletionSource waiter) => _waiters.TryRemove(KeyValuePair.Create(id, waiter));

    public readonly struct Waiter(GenerationEvents events, Guid id, TaskCompletionSource source) : IDisposable
    {
        public Task Finished => source.Task;

        public void Dispose() => events.Forget(id, source);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for finished generations failed ({Error}); retrying in {DelaySeconds} s")]
    private static partial void LogListenFailed(ILogger logger, string error, double delaySeconds);
}
