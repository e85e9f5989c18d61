using Binko.Data.Generations;
using Npgsql;
using OpenTelemetry;

namespace Binko.GenerationWorker.Jobs;

/// <summary>
/// LISTENs on <see cref="GenerationQueue.QueuedChannel"/> over a dedicated connection and wakes a claim loop per
/// notification, so a queued job is claimed within milliseconds. Reconnects with back-off when the connection
/// drops; meanwhile the claim loops' polling keeps the queue moving.
/// </summary>
public sealed partial class QueueListener(IConfiguration configuration, JobSignal signal, ILogger<QueueListener> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

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
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, () => delay = TimeSpan.FromMilliseconds(500), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.IO.IOException)
            {
                LogDisconnected(logger, exception.GetType().Name, delay.TotalSeconds);
                if (!await Wait.UntilAsync(ct => Task.Delay(delay, ct), stoppingToken))
                    return;
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    private async Task ListenAsync(string connectionString, Action connected, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        connection.Notification += (_, _) => signal.Wake();
        await using (var listen = new NpgsqlCommand($"LISTEN {GenerationQueue.QueuedChannel}", connection))
            await listen.ExecuteNonQueryAsync(stoppingToken);
        LogListening(logger, GenerationQueue.QueuedChannel);
        connected();
        signal.Wake(); // jobs may have been queued while we were not listening
        while (true)
            await connection.WaitAsync(stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for queued generations on {Channel}")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue notifications interrupted ({Error}); reconnecting in {DelaySeconds} s, polling meanwhile")]
    private static partial void LogDisconnected(ILogger logger, string error, double delaySeconds);
}
