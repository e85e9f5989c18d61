using System.Net;
using System.Net.Sockets;
using System.Text;
using Binko.AppHost.Hosting.Processes;
using Binko.AppHost.Hosting.Servers;
using Binko.Tests.Infrastructure;
using StackExchange.Redis;

namespace Binko.Tests.Servers;

public sealed class RedisServerTests : IAsyncLifetime
{
    private const string Password = "test-redis-pw";

    private readonly List<RedisServer> _servers = [];
    private string _root = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _root = Directory.CreateTempSubdirectory("binko-test-").FullName;
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
            await server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Redis_server_answers_PING_with_the_password_and_rejects_clients_without_it()
    {
        SkipUnlessRedisServerIsInstalled();
        var server = await StartAsync();

        Assert.Equal("redis-server", server.Kind);
        Assert.NotNull(server.ProcessId);
        await AssertAnswersWithPasswordOnlyAsync(server);
    }

    [Fact]
    public async Task Embedded_garnet_answers_PING_with_the_password_and_rejects_clients_without_it()
    {
        var server = await StartAsync(preferEmbedded: true);

        Assert.Equal("garnet", server.Kind);
        Assert.Null(server.ProcessId);
        await AssertAnswersWithPasswordOnlyAsync(server);

        await server.StopAsync(Ct);
        await Assert.ThrowsAsync<SocketException>(() => SendAsync(server.Port, ["PING"]));
    }

    [Fact]
    public async Task StopAsync_leaves_no_redis_server_process_and_can_be_called_again()
    {
        SkipUnlessRedisServerIsInstalled();
        var server = await StartAsync();
        var pid = server.ProcessId!.Value;
        Assert.True(ProcessTable.IsAlive(pid));

        await server.StopAsync(Ct);

        Assert.False(ProcessTable.IsAlive(pid));
        Assert.True(FreePort.IsFree(server.Port));
        await server.StopAsync(Ct);
    }

    [Fact]
    public async Task Redis_server_with_a_data_directory_keeps_keys_across_restarts()
    {
        SkipUnlessRedisServerIsInstalled();
        var first = await StartAsync(dataDirectory: _root);
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(first.GetConnectionString()))
            await connection.GetDatabase().StringSetAsync("kept", "value");
        await first.StopAsync(Ct);

        var second = await StartAsync(dataDirectory: _root);

        await using var reconnected = await ConnectionMultiplexer.ConnectAsync(second.GetConnectionString());
        Assert.Equal("value", await reconnected.GetDatabase().StringGetAsync("kept"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Redis_on_a_port_in_use_fails_with_a_clear_message(bool preferEmbedded)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(preferEmbedded, port: port));

            Assert.Equal($"Port {port} on 127.0.0.1 is already in use.", error.Message);
        }
        finally
        {
            listener.Stop();
        }
    }

    private static async Task AssertAnswersWithPasswordOnlyAsync(RedisServer server)
    {
        Assert.Equal($"127.0.0.1:{server.Port},password={Password}", server.GetConnectionString());
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(server.GetConnectionString()))
        {
            var database = connection.GetDatabase();
            await database.PingAsync();
            await database.StringSetAsync("greeting", "hello");
            Assert.Equal("hello", await database.StringGetAsync("greeting"));
        }

        Assert.StartsWith("-NOAUTH", (await SendAsync(server.Port, ["PING"]))[0]);
        var wrongPassword = await SendAsync(server.Port, ["AUTH", "wrong"], ["PING"]);
        Assert.StartsWith("-", wrongPassword[0]);
        Assert.StartsWith("-NOAUTH", wrongPassword[1]);
        Assert.Equal(["+OK", "+PONG"], await SendAsync(server.Port, ["AUTH", Password], ["PING"]));
    }

    private async Task<RedisServer> StartAsync(bool preferEmbedded = false, string? dataDirectory = null, int port = 0)
    {
        var server = await RedisServer.StartAsync(
            new RedisServerOptions
            {
                Password = Password,
                Port = port,
                DataDirectory = dataDirectory,
                PreferEmbedded = preferEmbedded,
                Output = ServerOutput.ToTestOutput(preferEmbedded ? "garnet" : "redis"),
            },
            Ct);
        _servers.Add(server);
        return server;
    }

    private static void SkipUnlessRedisServerIsInstalled() =>
        Assert.SkipWhen(ChildProcess.FindOnPath("redis-server") is null, "redis-server is not on PATH.");

    /// <summary>Sends raw RESP commands on a fresh connection and returns the first line of each reply.</summary>
    private static async Task<string[]> SendAsync(int port, params string[][] commands)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, Ct);
        var stream = client.GetStream();
        var request = new StringBuilder();
        foreach (var command in commands)
        {
            request.Append($"*{command.Length}\r\n");
            foreach (var part in command)
                request.Append($"${Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n");
        }
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), Ct);

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var replies = new string[commands.Length];
        for (var i = 0; i < replies.Length; i++)
            replies[i] = await reader.ReadLineAsync(Ct) ?? throw new IOException("The server closed the connection.");
        return replies;
    }
}
