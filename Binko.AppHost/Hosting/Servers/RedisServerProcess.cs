using System.Globalization;
using System.Text;
using Binko.AppHost.Hosting.Processes;

namespace Binko.AppHost.Hosting.Servers;

/// <summary>redis-server as a child process, configured through stdin so the password stays out of the process list.</summary>
internal sealed class RedisServerProcess : RedisServer
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    private readonly ChildProcess _process;
    private readonly DirectoryInfo? _scratchDirectory;
    private readonly Lock _stopLock = new();
    private Task? _stopTask;

    private RedisServerProcess(ChildProcess process, int port, string password, DirectoryInfo? scratchDirectory)
        : base(port, password)
    {
        _process = process;
        _scratchDirectory = scratchDirectory;
    }

    public override string Kind => "redis-server";
    public override int? ProcessId => _process.Id;
    public Task<int> Exited => _process.Exited;

    public static RedisServerProcess Start(string redisServer, RedisServerOptions options, int port)
    {
        // Without persistence redis-server still needs a working directory of its own (pid file, accidental dumps).
        var scratch = options.DataDirectory is null ? Directory.CreateTempSubdirectory("binko-redis-") : null;
        var directory = Path.GetFullPath(options.DataDirectory ?? scratch!.FullName);
        Directory.CreateDirectory(directory);

        var config = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"port {port}")
            .AppendLine("bind 127.0.0.1")
            .AppendLine($"requirepass {Quote(options.Password)}")
            .AppendLine($"dir {Quote(directory)}")
            .AppendLine($"pidfile {Quote(Path.Combine(directory, "redis-server.pid"))}")
            .AppendLine("daemonize no")
            .AppendLine("logfile \"\"")
            .AppendLine("always-show-logo no");
        if (options.DataDirectory is null)
            config.AppendLine("save \"\"").AppendLine("appendonly no");
        else
            config.AppendLine("save 3600 1 300 100 60 10000").AppendLine("appendonly yes").AppendLine("appendfsync everysec");

        try
        {
            var process = ChildProcess.Start(new ChildProcessOptions
            {
                FileName = redisServer,
                Arguments = ["-"],
                StandardInput = config.ToString(),
                WorkingDirectory = directory,
                Output = options.Output,
            });
            return new RedisServerProcess(process, port, options.Password, scratch);
        }
        catch
        {
            scratch?.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>SIGTERM (redis-server saves when persistence is on), then SIGKILL after 10 s.</summary>
    public override Task StopAsync(CancellationToken ct = default)
    {
        lock (_stopLock)
            _stopTask ??= StopCoreAsync();
        return _stopTask.WaitAsync(ct);
    }

    private async Task StopCoreAsync()
    {
        await _process.StopAsync(ShutdownTimeout, Signal.SIGTERM).ConfigureAwait(false);
        await _process.DisposeAsync().ConfigureAwait(false);
        _scratchDirectory?.Delete(recursive: true);
    }

    private protected override async Task ThrowIfFailedAsync()
    {
        if (_process.HasExited)
            throw new InvalidOperationException(
                $"redis-server (port {Port}) exited with code {await _process.Exited.ConfigureAwait(false)} before answering PING." +
                $"{Environment.NewLine}{RecentOutput()}");
    }

    private protected override string RecentOutput() =>
        "Last output:" + Environment.NewLine + string.Join(Environment.NewLine, _process.GetRecentOutput());

    /// <summary>A redis.conf double-quoted string.</summary>
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
