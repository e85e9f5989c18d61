using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Binko.AppHost;

namespace Binko.Tests.Infrastructure.Servers;

/// <summary>
/// A throwaway Redis-compatible server with a password and no persistence, as a child process: redis-server when it
/// is on PATH, otherwise garnet-server from the repository's tool manifest. Neither gets the password on its command line.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly ChildProcess _process;
    private readonly string _password;

    private RedisServer(ChildProcess process, string kind, int port, string password)
    {
        _process = process;
        _password = password;
        Kind = kind;
        Port = port;
    }

    public string Host => "127.0.0.1";
    public int Port { get; }

    /// <summary>"redis-server" or "garnet-server".</summary>
    public string Kind { get; }

    public int ProcessId => _process.Id;

    /// <summary>Returns once AUTH and PING are answered.</summary>
    public static async Task<RedisServer> StartAsync(RedisServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Password);
        if (options.Password.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw new ArgumentException("The password cannot contain line breaks.", nameof(options));

        var port = FreePort.Resolve(options.Port);
        var directory = Directory.CreateDirectory(options.Directory).FullName;
        var redisServer = options.UseGarnet ? null : Executables.FindOnPath(RedisServerProgram.Name);
        var server = redisServer is null
            ? new RedisServer(await GarnetServerProgram.StartAsync(options, port, directory, cancellationToken), GarnetServerProgram.Name, port, options.Password)
            : new RedisServer(RedisServerProgram.Start(redisServer, options, port, directory), RedisServerProgram.Name, port, options.Password);
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken);
        }
        catch
        {
            await server.StopAsync(CancellationToken.None);
            throw;
        }
        finally
        {
            // A garnet-server that answers has read its configuration (one that failed no longer needs it): the
            // password need not stay on disk.
            File.Delete(GarnetServerProgram.ConfigFile(directory));
        }
        return server;
    }

    /// <summary>StackExchange.Redis format, as .NET Aspire gives it in ConnectionStrings__redis.</summary>
    public string GetConnectionString() => $"{Host}:{Port},password={_password}";

    /// <summary>SIGTERM, then SIGKILL after 10 s. Idempotent.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) =>
        _process.StopAsync(ShutdownTimeout, Signal.SIGTERM, cancellationToken);

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException(
                    $"{Kind} (port {Port}) exited with code {await _process.Exited} before answering PING.{Environment.NewLine}{RecentOutput()}");
            string lastError;
            try
            {
                var (auth, ping) = await AuthPingAsync(cancellationToken);
                if ((auth, ping) is ("+OK", "+PONG"))
                    return;
                if (!auth.StartsWith("-LOADING", StringComparison.Ordinal) && !ping.StartsWith("-LOADING", StringComparison.Ordinal))
                    throw new InvalidOperationException($"{Kind} on {Host}:{Port} answered '{auth}' to AUTH and '{ping}' to PING.");
                lastError = ping;
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                lastError = ex.Message;
            }

            if (stopwatch.Elapsed > StartupTimeout)
                throw new TimeoutException(
                    $"{Kind} did not answer AUTH and PING on {Host}:{Port} within {StartupTimeout.TotalSeconds:0} s. Last error: {lastError}." +
                    $"{Environment.NewLine}{RecentOutput()}");
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>Raw RESP: the first line of the replies to AUTH and to PING.</summary>
    private async Task<(string Auth, string Ping)> AuthPingAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        using var client = new TcpClient();
        await client.ConnectAsync(Host, Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(Command("AUTH", _password) + Command("PING")), timeout.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var auth = await reader.ReadLineAsync(timeout.Token);
        var ping = await reader.ReadLineAsync(timeout.Token);
        return (auth ?? throw new IOException("Connection closed before the AUTH reply."),
                ping ?? throw new IOException("Connection closed before the PING reply."));
    }

    private string RecentOutput() => "Last output:" + Environment.NewLine + string.Join(Environment.NewLine, _process.GetRecentOutput());

    private static string Command(params string[] parts)
    {
        var builder = new StringBuilder().Append('*').Append(parts.Length).Append("\r\n");
        foreach (var part in parts)
            builder.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        return builder.ToString();
    }
}
