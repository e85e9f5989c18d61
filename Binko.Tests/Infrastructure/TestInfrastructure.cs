using Binko.Data;
using Binko.Data.Schema;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.Servers;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(TestInfrastructure))]

namespace Binko.Tests.Infrastructure;

/// <summary>
/// One real Postgres and one real Redis for the whole test run, on free ports of 127.0.0.1, in a fresh
/// temporary directory, started with the tests' own runners (Infrastructure/Servers). A migrated template database
/// makes each test class's own database a fast file copy.
/// </summary>
public sealed class TestInfrastructure : IAsyncLifetime
{
    private const string TemplateDatabase = "binko_template";

    private readonly TestRunDirectory _directory = TestRunDirectory.Create();

    public TestInfrastructure() =>
        _redisClient = new(() => ConnectionMultiplexer.Connect(Redis.GetConnectionString()));
    private int _databases;

    private PostgresServer? _postgres;
    private RedisServer? _redis;
    private readonly Lazy<IConnectionMultiplexer> _redisClient;

    public PostgresServer Postgres => _postgres ?? throw new InvalidOperationException("Postgres has not started.");
    public RedisServer Redis => _redis ?? throw new InvalidOperationException("Redis has not started.");

    /// <summary>A client of the shared Redis, for tests that put or read entries themselves.</summary>
    public IConnectionMultiplexer RedisClient => _redisClient.Value;

    public async ValueTask InitializeAsync()
    {
        ChildProcess.Started += child => _directory.RecordProcess(child.Id);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => _directory.KillRecordedProcesses();
        var postgres = PostgresServer.StartAsync(new PostgresServerOptions
        {
            DataDirectory = _directory.CreateSubdirectory("postgres"),
            Password = Secrets.NewPassword(),
            // Every test class has its own database, so its own connection pools (API, worker, test contexts).
            MaxConnections = 1000,
        });
        var redis = RedisServer.StartAsync(new RedisServerOptions { Password = Secrets.NewPassword(), Directory = _directory.CreateSubdirectory("redis") });
        try
        {
            await Task.WhenAll(postgres, redis);
        }
        finally
        {
            // Keep whichever started, so DisposeAsync (which xUnit calls after a failed start too) stops it.
            _postgres = postgres.IsCompletedSuccessfully ? postgres.Result : null;
            _redis = redis.IsCompletedSuccessfully ? redis.Result : null;
        }

        await Postgres.CreateDatabaseAsync(TemplateDatabase);
        // No pooling: a pooled connection left open would keep CREATE DATABASE .. TEMPLATE from copying it.
        await using var db = CreateDbContext(Postgres.GetConnectionString(TemplateDatabase) + ";Pooling=false");
        await DatabaseMigrator.MigrateAsync(db);
    }

    /// <summary>A new database with the current schema and seed, copied from the template.</summary>
    public async Task<string> CreateMigratedDatabaseAsync()
    {
        var name = NextDatabaseName();
        await Postgres.CreateDatabaseAsync(name, TemplateDatabase);
        return Postgres.GetConnectionString(name);
    }

    /// <summary>A new database with no tables at all.</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = NextDatabaseName();
        await Postgres.CreateDatabaseAsync(name);
        return Postgres.GetConnectionString(name);
    }

    public BinkoDbContext CreateDbContext(string databaseOrConnectionString) =>
        new(new DbContextOptionsBuilder<BinkoDbContext>()
            .UseNpgsql(databaseOrConnectionString.Contains('=')
                ? databaseOrConnectionString
                : Postgres.GetConnectionString(databaseOrConnectionString))
            .UseBinkoConventions()
            .Options);

    /// <summary>A Postgres of a test's own, with a migrated <c>binkodb</c>: for tests that stop or freeze their server,
    /// which must never be the shared one.</summary>
    public async Task<PostgresServer> StartOwnPostgresAsync(PostgresServerOptions options)
    {
        var postgres = await PostgresServer.StartAsync(options);
        await postgres.CreateDatabaseAsync("binkodb");
        await using var db = CreateDbContext(postgres.GetConnectionString("binkodb"));
        await DatabaseMigrator.MigrateAsync(db);
        return postgres;
    }

    /// <summary>A fresh directory for a test's own servers, removed with the run.</summary>
    public string CreateDirectory(string name) => _directory.CreateSubdirectory(name);

    public async ValueTask DisposeAsync()
    {
        if (_redisClient.IsValueCreated)
            await _redisClient.Value.DisposeAsync();
        if (_postgres is not null)
            await _postgres.StopAsync();
        if (_redis is not null)
            await _redis.StopAsync();
        _directory.Delete();
    }

    private string NextDatabaseName() => $"binko_test_{Interlocked.Increment(ref _databases)}";
}
