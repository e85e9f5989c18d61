using System.Net;
using System.Net.Sockets;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.Servers;
using Npgsql;

namespace Binko.Tests.Servers;

/// <summary>The tests' Postgres runner, on servers of its own in a directory of the test run.</summary>
public sealed class PostgresServerTests(TestInfrastructure infrastructure) : IAsyncDisposable
{
    private const string Password = "test-Pa55;word";

    private readonly List<PostgresServer> _servers = [];
    private readonly string _root = infrastructure.CreateDirectory("postgres-tests");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
            await server.DisposeAsync();
    }

    [Fact]
    public async Task Postgres_starts_in_an_empty_directory_accepts_the_password_and_rejects_a_wrong_one()
    {
        var server = await StartAsync();

        Assert.Equal("127.0.0.1", server.Host);
        Assert.True(File.Exists(Path.Combine(_root, "pgdata", "PG_VERSION")));
        // The child we started is the postmaster itself (setpriv execs it when we are root).
        Assert.Equal(server.ProcessId.ToString(), File.ReadLines(Path.Combine(server.PgData, "postmaster.pid")).First());

        await using (var connection = await OpenAsync(server.GetConnectionString()))
        {
            Assert.Equal("postgres", await ScalarAsync<string>(connection, "SELECT current_user"));
            Assert.Equal("off", await ScalarAsync<string>(connection, "SELECT current_setting('fsync')"));
            Assert.Equal("200", await ScalarAsync<string>(connection, "SELECT current_setting('max_connections')"));
            Assert.Equal("UTF8", await ScalarAsync<string>(connection, "SELECT current_setting('server_encoding')"));
        }
        // The password reached initdb through a file, since deleted, and is on no command line.
        Assert.Empty(ProcessTable.CommandLinesContaining(Password));
        Assert.Empty(Directory.GetFiles(_root, ".initdb-password-*"));

        var wrong = new NpgsqlConnectionStringBuilder(server.GetConnectionString()) { Password = "wrong" }.ConnectionString;
        var error = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(wrong));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, error.SqlState);
    }

    [Fact]
    public async Task CreateDatabaseAsync_copies_the_template_and_is_a_no_op_when_the_database_exists()
    {
        var server = await StartAsync();
        await server.CreateDatabaseAsync("template_app", ct: Ct);
        await using (var template = await OpenAsync(server.GetConnectionString("template_app")))
            await ExecuteAsync(template, "CREATE TABLE seed (value text); INSERT INTO seed VALUES ('from template')");

        await server.CreateDatabaseAsync("app \"one\"", "template_app", Ct);
        await using (var app = await OpenAsync(server.GetConnectionString("app \"one\"")))
        {
            Assert.Equal("from template", await ScalarAsync<string>(app, "SELECT value FROM seed"));
            await ExecuteAsync(app, "INSERT INTO seed VALUES ('added later')");
        }

        await server.CreateDatabaseAsync("app \"one\"", "template_app", Ct);

        await using (var app = await OpenAsync(server.GetConnectionString("app \"one\"")))
            Assert.Equal(2L, await ScalarAsync<long>(app, "SELECT count(*) FROM seed"));
    }

    [Fact]
    public async Task Postgres_restarted_on_the_same_directory_and_port_keeps_its_data()
    {
        var first = await StartAsync();
        await using (var connection = await OpenAsync(first.GetConnectionString()))
            await ExecuteAsync(connection, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");
        await first.StopAsync(Ct);

        var second = await StartAsync(port: first.Port);

        Assert.Equal(first.Port, second.Port);
        Assert.NotEqual(first.ProcessId, second.ProcessId);
        await using var reopened = await OpenAsync(second.GetConnectionString());
        Assert.Equal(42, await ScalarAsync<int>(reopened, "SELECT id FROM kept"));
    }

    [Fact]
    public async Task StopAsync_leaves_no_postgres_process_and_can_be_called_again()
    {
        var server = await StartAsync();
        var postmaster = server.ProcessId;
        var backends = ProcessTable.ChildrenOf(postmaster);
        Assert.NotEmpty(backends);

        await server.StopAsync(Ct);

        Assert.True(server.Exited.IsCompleted);
        Assert.False(ProcessTable.IsAlive(postmaster));
        Assert.All(backends, pid => Assert.False(ProcessTable.IsAlive(pid)));
        await server.StopAsync(Ct);
    }

    [Fact]
    public async Task Postgres_on_a_port_in_use_fails_with_a_clear_message()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(port));

            Assert.Equal($"Port {port} on 127.0.0.1 is already in use.", error.Message);
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task<PostgresServer> StartAsync(int port = 0)
    {
        var server = await PostgresServer.StartAsync(
            new PostgresServerOptions
            {
                DataDirectory = _root,
                Password = Password,
                Port = port,
                Output = ServerOutput.ToTestOutput("postgres"),
            },
            Ct);
        _servers.Add(server);
        return server;
    }

    // Unpooled, so that no idle connection blocks CREATE DATABASE ... TEMPLATE or outlives the server.
    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(Ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}
