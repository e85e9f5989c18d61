using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Binko.AppHost.Hosting.Processes;

namespace Binko.AppHost.Hosting.Servers;

/// <summary>A local Redis-compatible server: redis-server when it is on PATH, else an embedded Garnet.</summary>
public abstract class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly string _password;

    private protected RedisServer(int port, string password)
    {
        Port = port;
        _password = password;
    }

    public string Host => "127.0.0.1";
    public int Port { get; }

    /// <summary>"redis-server" or "garnet".</summary>
    public abstract string Kind { get; }

    /// <summary>Null for the embedded Garnet, which runs in this process.</summary>
    public abstract int? ProcessId { get; }

    /// <summary>Returns once AUTH and PING are answered.</summary>
    public static async Task<RedisServer> StartAsync(RedisServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Password);
        if (options.Password.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw new ArgumentException("The password cannot contain line breaks.", nameof(options));

        var port = FreePort.Resolve(options.Port);
        var redisServer = options.PreferEmbedded ? null : ChildProcess.FindOnPath("redis-server");
        RedisServer server = redisServer is null
            ? GarnetRedisServer.Start(options, port)
            : RedisServerProcess.Start(redisServer, options, port);
        try
        {
            await server.WaitUntilReadyAsync(options.StartupTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        return server;
    }

    /// <summary>StackExchange.Redis format, as .NET Aspire gives it in ConnectionStrings__redis.</summary>
    public string GetConnectionString() => $"{Host}:{Port},password={_password}";

    /// <summary>Sends AUTH and PING on a new connection; throws unless both succeed.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        var reply = await AuthPingAsync(cancellationToken).ConfigureAwait(false);
        if (reply is not ("+OK", "+PONG"))
            throw new InvalidOperationException($"{Kind} on {Host}:{Port} answered '{reply.Auth}' to AUTH and '{reply.Ping}' to PING.");
    }

    /// <summary>Idempotent.</summary>
    public abstract Task StopAsync(CancellationToken ct = default);

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Throws when the server can no longer become ready (e.g. its process exited).</summary>
    private protected abstract Task ThrowIfFailedAsync();

    private protected abstract string RecentOutput();

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            await ThrowIfFailedAsync().ConfigureAwait(false);
            string lastError;
            try
            {
                var (auth, ping) = await AuthPingAsync(cancellationToken).ConfigureAwait(false);
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

            if (stopwatch.Elapsed > timeout)
                throw new TimeoutException(
                    $"{Kind} did not answer AUTH and PING on {Host}:{Port} within {timeout.TotalSeconds:0} s. Last error: {lastError}." +
                    $"{Environment.NewLine}{RecentOutput()}");
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Raw RESP: the first line of the replies to AUTH and to PING.</summary>
    private async Task<(string Auth, string Ping)> AuthPingAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        using var client = new TcpClient();
        await client.ConnectAsync(Host, Port, timeout.Token).ConfigureAwait(false);
        var stream = client.GetStream();
        var request = Command("AUTH", _password) + Command("PING");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), timeout.Token).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var auth = await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false);
        var ping = await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false);
        return (auth ?? throw new IOException("Connection closed before the AUTH reply."),
                ping ?? throw new IOException("Connection closed before the PING reply."));
    }

    private static string Command(params string[] parts)
    {
        var builder = new StringBuilder().Append('*').Append(parts.Length).Append("\r\n");
        foreach (var part in parts)
            builder.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        return builder.ToString();
    }
}
