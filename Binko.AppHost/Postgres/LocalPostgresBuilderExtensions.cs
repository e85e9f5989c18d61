using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Binko.AppHost.Postgres;

public static class LocalPostgresBuilderExtensions
{
    /// <summary>
    /// PostgreSQL as local processes, for run mode on a machine without a container engine: <c>{name}-init</c> (initdb,
    /// only while the data directory holds no cluster) and the server, which waits for it to complete. The cluster lives
    /// in the data directory's postgres/; the superuser's password is the parameter <c>{name}-password</c>. The server
    /// listens on 127.0.0.1 only, on <paramref name="port"/> or a free port.
    /// </summary>
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder,
        [ResourceName] string name, int? port = null)
    {
        var dataDirectory = DataDirectory.Open(builder.Configuration);
        var binaries = PostgresBinaries.Locate();
        var runAs = PostgresRunAs.PrepareAsync(dataDirectory.Postgres, CancellationToken.None).GetAwaiter().GetResult();
        var cluster = new PostgresCluster(dataDirectory.Postgres, binaries, runAs, builder.Configuration.GetValue("AppHost:Durable", true));
        var password = builder.AddPasswordParameter(dataDirectory, name);

        var (command, arguments) = cluster.ServerCommand();
        var server = builder.AddResource(new LocalPostgresResource(name, command, cluster.Directory, password.Resource))
            .WithArgs(arguments.ToArray())
            .WithLocalTcpEndpoint(LocalPostgresResource.PrimaryEndpointName, port)
            .WithIconName("DatabaseMultiple")
            .WithConnectionStringHealthCheck((checks, key, connectionString) =>
                checks.AddNpgSql(_ => AdminConnectionString(connectionString()), name: key));
        server.WithArgs(context =>
        {
            context.Args.Add("-p");
            context.Args.Add(server.Resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
        });
        builder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, CreateDatabasesAsync);

        if (!cluster.Exists)
            server.WaitForCompletion(builder.AddInitDb(cluster, server.Resource));
        return server;
    }

    /// <summary>
    /// The database <paramref name="databaseName"/> (default: <paramref name="name"/>) on the server, created when the
    /// server is ready. Its state is the server's; it turns healthy once it accepts connections.
    /// </summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(this IResourceBuilder<LocalPostgresResource> builder,
        [ResourceName] string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.AddDatabase(name, database.DatabaseName);
        return builder.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "PostgresDatabase", State = KnownResourceStates.NotStarted, Properties = [] })
            .WithIconName("Database")
            .WithConnectionStringHealthCheck((checks, key, connectionString) =>
                checks.AddNpgSql(_ => WithoutPooling(connectionString()), name: key))
            .OnInitializeResource(FollowServerStateAsync);
    }

    /// <summary>initdb, with the password in a file only the server's account can read (never on a command line).</summary>
    private static IResourceBuilder<ExecutableResource> AddInitDb(this IDistributedApplicationBuilder builder, PostgresCluster cluster, LocalPostgresResource server)
    {
        var (command, arguments) = cluster.InitDbCommand();
        return builder.AddExecutable($"{server.Name}-init", command, cluster.Directory, arguments.ToArray())
            .WithParentRelationship(server)
            .OnBeforeResourceStarted(async (_, _, ct) =>
            {
                var password = await server.PasswordParameter.GetValueAsync(ct).ConfigureAwait(false);
                await cluster.WritePasswordFileAsync(password!, ct).ConfigureAwait(false);
            })
            .OnResourceStopped((_, _, _) =>
            {
                cluster.DeletePasswordFile();
                return Task.CompletedTask;
            });
    }

    private static async Task CreateDatabasesAsync(ResourceReadyEvent @event, CancellationToken ct)
    {
        var server = (LocalPostgresResource)@event.Resource;
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false);
        await using var connection = new NpgsqlConnection(AdminConnectionString(connectionString!));
        await connection.OpenAsync(ct).ConfigureAwait(false);
        foreach (var database in server.Databases.Values)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
            if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null)
                continue;
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server).LogInformation("Created database {Database}", database);
        }
    }

    /// <summary>Aspire propagates a container's state to its databases, not an executable's: this does it for ours.</summary>
    private static async Task FollowServerStateAsync(LocalPostgresDatabaseResource database, InitializeResourceEvent @event, CancellationToken ct)
    {
        await foreach (var update in @event.Notifications.WatchAsync(ct).ConfigureAwait(false))
        {
            if (update.Resource != database.Parent)
                continue;
            await @event.Notifications.PublishUpdateAsync(database, snapshot => snapshot with
            {
                State = update.Snapshot.State,
                StartTimeStamp = update.Snapshot.StartTimeStamp,
                StopTimeStamp = update.Snapshot.StopTimeStamp,
            }).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The AppHost's own connections (health checks, CREATE DATABASE) are not pooled: an idle pooled session would
    /// keep the server's shutdown (SIGTERM, "smart": it waits for sessions to end) from finishing.
    /// </summary>
    private static string WithoutPooling(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 }.ConnectionString;

    private static string AdminConnectionString(string connectionString) =>
        new NpgsqlConnectionStringBuilder(WithoutPooling(connectionString)) { Database = "postgres" }.ConnectionString;
}
