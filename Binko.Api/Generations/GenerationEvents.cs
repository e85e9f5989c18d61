using Binko.Data.Generations;
using Npgsql;
using OpenTelemetry;

namespace Binko.Api.Generations;

/// <summary>
/// Wakes long-polling requests when a generation finishes: one LISTEN connection on
/// <see cref="GenerationQueue.FinishedChannel"/> per API replica, shared by all its waiting requests. Notifications sent
/// while that connection is down are lost, so each (re)connect wakes every waiter to read its row again; a waiter also
/// reads it at <see cref="GenerationOptions.WaitFallbackSeconds"/>, so a lost notification only delays an answer.
/// </summary>
public sealed partial class GenerationEvents(IConfiguration configuration, ILogger<GenerationEvents> logger) : BackgroundService
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, List<TaskCompletionSource>> _waiters = [];

    /// <summary>Completes when <paramref name="id"/> is reported finished (or the connection was re-established).
    /// Register before reading the row.</summary>
    public Waiter Register(Guid id)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (!_waiters.TryGetValue(id, out var sources))
                _waiters[id] = sources = [];
            sources.Add(source);
        }
        return new Waiter(this, id, source);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Each (re)connect's LISTEN would otherwise be a trace of its own.
        using var untraced = SuppressInstrumentationScope.Begin();
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("binkodb"))
        {
            Pooling = false,
            // A silently dead server is noticed within the keep-alive period, then we reconnect.
            KeepAlive = 15,
        }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, e) => Signal(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {GenerationQueue.FinishedChannel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                LogListening(logger, GenerationQueue.FinishedChannel);
                SignalAll(); // generations may have finished while we were not listening
                while (!stoppingToken.IsCancellationRequested)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or IOException)
            {
                LogListenFailed(logger, exception.GetType().Name, ReconnectDelay.TotalSeconds);
                await Task.Delay(ReconnectDelay, stoppingToken);
            }
        }
    }

    private void Signal(string payload)
    {
        if (!Guid.TryParse(payload, out var id))
            return;
        List<TaskCompletionSource>? sources;
        lock (_lock)
            _waiters.Remove(id, out sources);
        foreach (var source in sources ?? [])
            source.TrySetResult();
    }

    private void SignalAll()
    {
        List<TaskCompletionSource> sources;
        lock (_lock)
        {
            sources = [.. _waiters.Values.SelectMany(waiting => waiting)];
            _waiters.Clear();
        }
        foreach (var source in sources)
            source.TrySetResult();
    }

    private void Forget(Guid id, TaskCompletionSource source)
    {
        lock (_lock)
        {
            if (_waiters.TryGetValue(id, out var sources) && sources.Remove(source) && sources.Count == 0)
                _waiters.Remove(id);
        }
    }

    public readonly struct Waiter(GenerationEvents events, Guid id, TaskCompletionSource source) : IDisposable
    {
        public Task Finished => source.Task;

        public void Dispose() => events.Forget(id, source);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for finished generations on {Channel}")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for finished generations failed ({Error}); retrying in {DelaySeconds} s")]
    private static partial void LogListenFailed(ILogger logger, string error, double delaySeconds);
}
