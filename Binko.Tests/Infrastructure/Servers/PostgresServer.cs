using System.Diagnostics;
using System.Globalization;
using System.Text;
using Binko.AppHost;
using Binko.AppHost.Postgres;
using Npgsql;

namespace Binko.Tests.Infrastructure.Servers;

/// <summary>
/// A throwaway PostgreSQL server: initdb on first use, then the postmaster as a child process. Nothing is synced to
/// disk (fsync, synchronous_commit and full_page_writes off): a test's data does not outlive the test run.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string SuperUser = "postgres";

    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FastShutdownTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ImmediateShutdownTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan InitDbTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Variables that would make the server programs look elsewhere than where we point them.</summary>
    private static readonly IReadOnlyDictionary<string, string?> ServerEnvironment = new Dictionary<string, string?>
    {
        ["PGDATA"] = null,
        ["PGPORT"] = null,
        ["PGHOST"] = null,
        ["PGPASSWORD"] = null,
    };

    private readonly ChildProcess _process;
    private readonly string _password;
    private readonly Lock _stopLock = new();
    private Task? _stopTask;

    private PostgresServer(ChildProcess process, int port, string password, string dataDirectory)
    {
        _process = process;
        _password = password;
        Port = port;
        DataDirectory = dataDirectory;
    }

    public string Host => "127.0.0.1";
    public int Port { get; }
    public int ProcessId => _process.Id;
    public Task<int> Exited => _process.Exited;
    public string DataDirectory { get; }
    public string PgData => Path.Combine(DataDirectory, "pgdata");

    /// <summary>Returns once the server accepts a password connection to the "postgres" database.</summary>
    public static async Task<PostgresServer> StartAsync(PostgresServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataDirectory);
        ArgumentException.ThrowIfNullOrEmpty(options.Password);
        if (options.Password.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw new ArgumentException("The password cannot contain line breaks.", nameof(options));

        var binaries = PostgresBinaries.Locate();
        var port = FreePort.Resolve(options.Port);
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        var runAs = await PostgresRunAs.PrepareAsync(dataDirectory, cancellationToken);
        var pgData = Path.Combine(dataDirectory, "pgdata");
        if (!File.Exists(Path.Combine(pgData, "PG_VERSION")))
            await InitDbAsync(binaries, runAs, dataDirectory, pgData, options, cancellationToken);

        var (fileName, arguments) = runAs.Wrap(binaries.Postgres,
        [
            "-D", pgData,
            "-p", port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=",
            "-c", $"max_connections={options.MaxConnections.ToString(CultureInfo.InvariantCulture)}",
            "-c", "fsync=off",
            "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off",
        ]);
        var process = ChildProcess.Start(new ChildProcessOptions
        {
            FileName = fileName,
            Arguments = arguments,
            Environment = ServerEnvironment,
            WorkingDirectory = dataDirectory,
            Output = options.Output,
        });

        var server = new PostgresServer(process, port, options.Password, dataDirectory);
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken);
        }
        catch
        {
            await server.StopAsync(CancellationToken.None);
            throw;
        }
        return server;
    }

    public string GetConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = SuperUser,
        Password = _password,
        Database = database,
    }.ConnectionString;

    /// <summary>CREATE DATABASE, optionally from a template; does nothing when the database already exists.</summary>
    public async Task CreateDatabaseAsync(string name, string? template = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await using var connection = new NpgsqlConnection(AdminConnectionString());
        await connection.OpenAsync(ct);

        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = name });
            if (await exists.ExecuteScalarAsync(ct) is not null)
                return;
        }

        var sql = $"CREATE DATABASE {QuoteIdentifier(name)}" + (template is null ? "" : $" TEMPLATE {QuoteIdentifier(template)}");
        await using var create = new NpgsqlCommand(sql, connection);
        try
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Created concurrently by someone else: same outcome.
        }
    }

    /// <summary>Fast shutdown (SIGINT) for up to 10 s, then immediate shutdown (SIGQUIT), then SIGKILL. Idempotent.</summary>
    public Task StopAsync(CancellationToken ct = default)
    {
        lock (_stopLock)
            _stopTask ??= StopCoreAsync();
        return _stopTask.WaitAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _process.DisposeAsync();
    }

    private async Task StopCoreAsync()
    {
        if (_process.SendSignal(Signal.SIGINT) && await _process.WaitForExitAsync(FastShutdownTimeout))
            return;
        await _process.StopAsync(ImmediateShutdownTimeout, Signal.SIGQUIT);
    }

    private static async Task InitDbAsync(PostgresBinaries binaries, PostgresRunAs runAs, string dataDirectory, string pgData,
        PostgresServerOptions options, CancellationToken cancellationToken)
    {
        // Keeps the password off command lines: initdb reads it from a file only the server account can read.
        var passwordFile = Path.Combine(dataDirectory, $".initdb-password-{Guid.NewGuid():N}");
        try
        {
            await PrivateFile.WriteAsync(passwordFile, options.Password + "\n", cancellationToken);
            runAs.GiveToAccount(passwordFile);

            string[] arguments =
            [
                "-D", pgData,
                "-U", SuperUser,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                $"--pwfile={passwordFile}",
                "-E", "UTF8",
                "--no-instructions",
                "--no-sync",
            ];
            var (exitCode, output) = await RunInitDbAsync(binaries, runAs, dataDirectory, [.. arguments, "--locale=C.UTF-8"], options, cancellationToken);
            if (exitCode != 0 && output.Any(line => line.Contains("invalid locale", StringComparison.OrdinalIgnoreCase)))
                (exitCode, output) = await RunInitDbAsync(binaries, runAs, dataDirectory, [.. arguments, "--no-locale"], options, cancellationToken);
            if (exitCode != 0)
                throw new InvalidOperationException(
                    $"initdb failed with exit code {exitCode} for {pgData}. Last output:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static async Task<(int ExitCode, IReadOnlyList<string> Output)> RunInitDbAsync(PostgresBinaries binaries, PostgresRunAs runAs,
        string dataDirectory, IReadOnlyList<string> arguments, PostgresServerOptions options, CancellationToken cancellationToken)
    {
        var (fileName, wrappedArguments) = runAs.Wrap(binaries.InitDb, arguments);
        await using var process = ChildProcess.Start(new ChildProcessOptions
        {
            FileName = fileName,
            Arguments = wrappedArguments,
            Environment = ServerEnvironment,
            WorkingDirectory = dataDirectory,
            Output = options.Output,
        });
        if (!await process.WaitForExitAsync(InitDbTimeout, cancellationToken))
            throw new TimeoutException($"initdb did not finish within {InitDbTimeout.TotalSeconds:0} s. Last output:{Environment.NewLine}{string.Join(Environment.NewLine, process.GetRecentOutput())}");
        return (await process.Exited, process.GetRecentOutput());
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString()) { Timeout = 5 }.ConnectionString;
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException(
                    $"PostgreSQL (port {Port}, data {PgData}) exited with code {await _process.Exited} before accepting connections. " +
                    $"Last output:{Environment.NewLine}{RecentOutput()}");

            NpgsqlException lastError;
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL on port {Port} rejected the password for '{SuperUser}'. The data directory {PgData} was probably " +
                    "initialised with a different password (the password only takes effect when initdb runs).", ex);
            }
            catch (NpgsqlException ex)
            {
                lastError = ex;
            }

            if (stopwatch.Elapsed > StartupTimeout)
                throw new TimeoutException(
                    $"PostgreSQL did not accept connections on {Host}:{Port} within {StartupTimeout.TotalSeconds:0} s. Last error: {lastError.Message}. " +
                    $"Last output:{Environment.NewLine}{RecentOutput()}");
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private string AdminConnectionString() =>
        new NpgsqlConnectionStringBuilder(GetConnectionString()) { Pooling = false }.ConnectionString;

    private string RecentOutput() => string.Join(Environment.NewLine, _process.GetRecentOutput());

    private static string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
