using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;

namespace Binko.ServiceDefaults.Database;

/// <summary>
/// Probes the database every <see cref="DatabaseCircuitOptions.ProbeSeconds"/> for its circuit: a database that stops
/// answering opens the circuit within a few probes even when no request is running, and one that is back closes it at
/// the next probe. Logs each change of the circuit's state.
/// </summary>
internal sealed partial class DatabaseProbe(DatabaseCircuit circuit, ILogger<DatabaseProbe> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A probe a second is not a trace a second.
        using var untraced = SuppressInstrumentationScope.Begin();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(circuit.Options.ProbeSeconds));
        var reported = circuit.State;
        do
        {
            await circuit.ProbeAsync(stoppingToken);
            if (circuit.State != reported)
            {
                reported = circuit.State;
                if (circuit.IsClosed)
                    LogClosed(logger);
                else
                    LogNotClosed(logger, reported);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database circuit {State}: requests that need the database answer 503 database_unavailable")]
    private static partial void LogNotClosed(ILogger logger, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database circuit closed: the database answers again")]
    private static partial void LogClosed(ILogger logger);
}
