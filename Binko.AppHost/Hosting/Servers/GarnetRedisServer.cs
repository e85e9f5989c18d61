using System.Net;
using Garnet;
using Garnet.server;
using Garnet.server.Auth.Settings;
using Microsoft.Extensions.Logging;
using Tsavorite.core;

namespace Binko.AppHost.Hosting.Servers;

/// <summary>An in-process Garnet server (Redis protocol) with a password, a small in-memory store and no persistence.</summary>
internal sealed class GarnetRedisServer : RedisServer
{
    private readonly GarnetServer _server;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly DirectoryInfo _scratchDirectory;
    private readonly Lock _stopLock = new();
    private Task? _stopTask;

    private GarnetRedisServer(GarnetServer server, ILoggerFactory? loggerFactory, DirectoryInfo scratchDirectory, int port, string password)
        : base(port, password)
    {
        _server = server;
        _loggerFactory = loggerFactory;
        _scratchDirectory = scratchDirectory;
    }

    public override string Kind => "garnet";
    public override int? ProcessId => null;

    public static GarnetRedisServer Start(RedisServerOptions options, int port)
    {
        // Garnet's defaults (16 GB log memory, 128 MB index, 1 GB buffer pool) are sized for a dedicated server.
        // Without a storage tier or AOF it writes nothing, except checkpoints when a client sends SAVE: those go to a
        // scratch directory (deleted on stop) instead of ./Store. LogDir must stay null: Garnet rejects it without a storage tier.
        var scratch = Directory.CreateTempSubdirectory("binko-garnet-");
        var serverOptions = new GarnetServerOptions
        {
            EndPoints = [new IPEndPoint(IPAddress.Loopback, port)],
            AuthSettings = new PasswordAuthenticationSettings(options.Password),
            LogMemorySize = "64m",
            PageSize = "1m",
            IndexMemorySize = "8m",
            BufferPoolMemoryBudget = "16m",
            EnableStorageTier = false,
            EnableAOF = false,
            CheckpointDir = scratch.FullName,
            // The default native device needs libaio.so.1, which is not always installed; SAVE would then fail.
            DeviceType = DeviceType.RandomAccess,
            QuietMode = true,
        };

        var loggerFactory = options.Output is { } output
            ? LoggerFactory.Create(builder => builder.AddProvider(new OutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Information))
            : null;
        GarnetServer? server = null;
        try
        {
            server = new GarnetServer(serverOptions, loggerFactory, cleanupDir: false);
            server.Start();
            return new GarnetRedisServer(server, loggerFactory, scratch, port, options.Password);
        }
        catch
        {
            server?.Dispose();
            loggerFactory?.Dispose();
            scratch.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Disposes the server, which closes its listener and connections. Idempotent.</summary>
    public override Task StopAsync(CancellationToken ct = default)
    {
        lock (_stopLock)
            _stopTask ??= Task.Run(() =>
            {
                _server.Dispose();
                _loggerFactory?.Dispose();
                _scratchDirectory.Delete(recursive: true);
            }, CancellationToken.None);
        return _stopTask.WaitAsync(ct);
    }

    private protected override Task ThrowIfFailedAsync() => Task.CompletedTask;

    private protected override string RecentOutput() => "";

    private sealed class OutputLoggerProvider(Action<string> output) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new OutputLogger(categoryName, output);

        public void Dispose()
        {
        }
    }

    private sealed class OutputLogger(string category, Action<string> output) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"garnet {logLevel} {category}: {formatter(state, exception)}";
            output(exception is null ? line : line + Environment.NewLine + exception);
        }
    }
}
