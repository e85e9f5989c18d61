using System.Diagnostics;
using System.Net.Sockets;
using Binko.AppHost.Hosting.Processes;
using Binko.AppHost.Hosting.Servers;
using Npgsql;

namespace Binko.AppHost.Orchestration;

/// <summary>What "healthy" means for WaitFor and the dashboard: Postgres accepts a connection, Redis answers PING, /health says 200.</summary>
internal static class HealthProbes
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1), UseProxy = false })
    {
        Timeout = ProbeTimeout,
    };

    /// <summary>
    /// Polls <paramref name="healthUrl"/> until it answers 200. Fails at once when the process exits, and after
    /// <paramref name="timeout"/> with the last answer.
    /// </summary>
    public static async Task WaitForHttpHealthyAsync(string name, Uri healthUrl, ChildProcess process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                var exitCode = await process.Exited.ConfigureAwait(false);
                throw new AppHostException(
                    $"'{name}' exited with code {exitCode} before it was healthy. Last output:{Environment.NewLine}" +
                    string.Join(Environment.NewLine, process.GetRecentOutput().TakeLast(20)));
            }

            if (await HttpFailureAsync(healthUrl, cancellationToken).ConfigureAwait(false) is not { } failure)
                return;
            if (stopwatch.Elapsed > timeout)
                throw new AppHostException($"'{name}' did not become healthy within {timeout.TotalSeconds:0} s: GET {healthUrl} last answered: {failure}");
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<bool> HttpHealthyAsync(Uri healthUrl, CancellationToken cancellationToken) =>
        await HttpFailureAsync(healthUrl, cancellationToken).ConfigureAwait(false) is null;

    public static async Task<bool> PostgresAcceptsAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = (int)ProbeTimeout.TotalSeconds };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    public static async Task<bool> RedisPingsAsync(RedisServer? server, CancellationToken cancellationToken)
    {
        if (server is null)
            return false;
        try
        {
            await server.PingAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidOperationException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Null when GET <paramref name="healthUrl"/> answers 2xx; otherwise the status and body, or why there was no answer.</summary>
    private static async Task<string?> HttpFailureAsync(Uri healthUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(healthUrl, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
                return null;
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return $"{(int)response.StatusCode} {Truncate(body, 300)}";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {ProbeTimeout.TotalSeconds:0} s";
        }
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length] + "…";
}
