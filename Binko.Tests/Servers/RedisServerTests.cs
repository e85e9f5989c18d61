using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using Binko.AppHost;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.Servers;
using StackExchange.Redis;

namespace Binko.Tests.Servers;

/// <summary>
/// The tests' Redis runner, on servers of its own. The garnet-server cases force Garnet, so they run whether or not
/// redis-server is installed; the redis-server cases need it on PATH.
/// </summary>
public sealed class RedisServerTests(TestInfrastructure infrastructure) : IAsyncDisposable
{
    private const string Password = "test-redis-pw";

    private readonly List<RedisServer> _servers = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Kinds => new(RedisServerProgram.Name, GarnetServerProgram.Name);

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
            await server.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Server_answers_with_the_password_only_which_is_on_no_command_line(string kind)
    {
        var server = await StartAsync(kind);

        Assert.Equal(kind, server.Kind);
        Assert.Equal($"127.0.0.1:{server.Port},password={Password}", server.GetConnectionString());
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(server.GetConnectionString()))
        {
            var database = connection.GetDatabase();
            await database.StringSetAsync("greeting", "hello");
            Assert.Equal("hello", await database.StringGetAsync("greeting"));
        }

        Assert.StartsWith("-NOAUTH", (await SendAsync(server.Port, ["PING"]))[0]);
        var wrongPassword = await SendAsync(server.Port, ["AUTH", "wrong"], ["PING"]);
        Assert.StartsWith("-", wrongPassword[0]);
        Assert.StartsWith("-NOAUTH", wrongPassword[1]);
        Assert.Equal(["+OK", "+PONG"], await SendAsync(server.Port, ["AUTH", Password], ["PING"]));
        Assert.Empty(ProcessTable.CommandLinesContaining(Password));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Lua_scripts_of_concurrent_clients_do_not_interleave(string kind)
    {
        // A read-modify-write in one script, as the services' rate limiters do: replicas must not lose each other's updates.
        const string increment = "local n = tonumber(redis.call('GET', KEYS[1]) or '0') + 1 redis.call('SET', KEYS[1], n) return n";
        var server = await StartAsync(kind);
        await using var first = await ConnectionMultiplexer.ConnectAsync(server.GetConnectionString());
        await using var second = await ConnectionMultiplexer.ConnectAsync(server.GetConnectionString());

        await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            (i % 2 == 0 ? first : second).GetDatabase().ScriptEvaluateAsync(increment, ["counter"])));

        Assert.Equal(400, (int)await first.GetDatabase().StringGetAsync("counter"));
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Garnet_reads_its_password_from_a_private_file_that_is_gone_once_it_answers()
    {
        var direct = Options(GarnetServerProgram.Name);
        await using (await GarnetServerProgram.StartAsync(direct, FreePort.Get(), direct.Directory, Ct))
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(GarnetServerProgram.ConfigFile(direct.Directory)));

        var options = Options(GarnetServerProgram.Name);
        _servers.Add(await RedisServer.StartAsync(options, Ct));

        Assert.False(File.Exists(GarnetServerProgram.ConfigFile(options.Directory)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task StopAsync_leaves_no_server_process_and_can_be_called_again(string kind)
    {
        var server = await StartAsync(kind);
        var pid = server.ProcessId;
        Assert.True(ProcessTable.IsAlive(pid));

        await server.StopAsync(Ct);

        Assert.False(ProcessTable.IsAlive(pid));
        Assert.True(LoopbackPort.IsFree(server.Port));
        await server.StopAsync(Ct);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Server_restarted_on_its_port_answers_again(string kind)
    {
        var first = await StartAsync(kind);
        await first.StopAsync(Ct);

        var second = await StartAsync(kind, first.Port);

        Assert.Equal(first.Port, second.Port);
        Assert.NotEqual(first.ProcessId, second.ProcessId);
        Assert.Equal(["+OK", "+PONG"], await SendAsync(second.Port, ["AUTH", Password], ["PING"]));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Server_on_a_port_in_use_fails_with_a_clear_message(string kind)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(kind, port));

            Assert.Equal($"Port {port} on 127.0.0.1 is already in use.", error.Message);
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task<RedisServer> StartAsync(string kind, int port = 0)
    {
        var server = await RedisServer.StartAsync(Options(kind) with { Port = port }, Ct);
        _servers.Add(server);
        return server;
    }

    private RedisServerOptions Options(string kind)
    {
        Assert.SkipWhen(kind == RedisServerProgram.Name && Executables.FindOnPath(RedisServerProgram.Name) is null, "redis-server is not on PATH.");
        return new RedisServerOptions
        {
            Password = Password,
            Directory = infrastructure.CreateDirectory(kind),
            UseGarnet = kind == GarnetServerProgram.Name,
            Output = ServerOutput.ToTestOutput(kind),
        };
    }

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
