using Binko.AppHost.Hosting;
using Binko.AppHost.Hosting.Processes;
using Binko.AppHost.Hosting.Servers;

namespace Binko.AppHost.Orchestration;

/// <summary>
/// Starts one resource of each kind on its reserved ports and returns once it is healthy. What it starts goes into
/// <see cref="StartedResources"/> (to be stopped) and the <see cref="RunRecord"/> (for a later run, should this one be killed).
/// </summary>
internal sealed class ResourceLauncher(
    PortAllocator ports,
    ProjectEnvironment environment,
    IReadOnlyDictionary<string, string> parameters,
    DataDirectory dataDirectory,
    RunRecord runRecord,
    StartedResources started,
    AppHostOptions options,
    RunReporter reporter)
{
    public Task StartAsync(IResource resource, IReadOnlyList<ResourceInstance> instances, CancellationToken cancellationToken) => resource switch
    {
        PostgresServerResource postgres => StartPostgresAsync(postgres, instances[0], cancellationToken),
        PostgresDatabaseResource database => CreateDatabaseAsync(database, instances[0], cancellationToken),
        RedisResource redis => StartRedisAsync(redis, instances[0], cancellationToken),
        ProjectResource project => StartProjectAsync(project, instances, cancellationToken),
        ConnectionStringResource connectionString => MarkConfigured(connectionString, instances[0]),
        // A parameter has nothing to start: its value was resolved before anything started.
        _ => Task.CompletedTask,
    };

    private async Task StartPostgresAsync(PostgresServerResource resource, ResourceInstance instance, CancellationToken cancellationToken)
    {
        instance.SetEndpoints(ports.TcpUrl(resource));
        instance.Details = $"data: {dataDirectory.Postgres}";
        var server = await PostgresServer.StartAsync(new PostgresServerOptions
        {
            DataDirectory = dataDirectory.Postgres,
            Password = parameters[resource.Password.Name],
            Port = ports.PortOf(resource),
            Durable = options.Durable,
            Output = reporter.OutputOf(instance),
            StartupTimeout = options.WaitTimeout,
        }, cancellationToken).ConfigureAwait(false);
        started.Add(resource, server);
        runRecord.Add("postgres", server.ProcessId);
        instance.MarkRunning(server.ProcessId);
        instance.MarkHealth(HealthStatus.Healthy);
        reporter.WatchForExit(instance, server.Exited);
    }

    private async Task CreateDatabaseAsync(PostgresDatabaseResource resource, ResourceInstance instance, CancellationToken cancellationToken)
    {
        var server = started.PostgresOf(resource.Parent);
        instance.Details = $"database '{resource.DatabaseName}' on '{resource.Parent.Name}'";
        await server.CreateDatabaseAsync(resource.DatabaseName, ct: cancellationToken).ConfigureAwait(false);
        instance.MarkRunning(null);
        instance.MarkHealth(HealthStatus.Healthy);
    }

    private async Task StartRedisAsync(RedisResource resource, ResourceInstance instance, CancellationToken cancellationToken)
    {
        instance.SetEndpoints(ports.TcpUrl(resource));
        var server = await RedisServer.StartAsync(new RedisServerOptions
        {
            Password = parameters[resource.Password.Name],
            Port = ports.PortOf(resource),
            DataDirectory = dataDirectory.Redis,
            PreferEmbedded = options.EmbeddedRedis,
            Output = reporter.OutputOf(instance),
            StartupTimeout = options.WaitTimeout,
        }, cancellationToken).ConfigureAwait(false);
        started.Add(resource, server);
        if (server.ProcessId is { } processId)
            runRecord.Add("redis-server", processId);
        instance.Details = server.ProcessId is null ? "embedded Garnet (in the AppHost process, no persistence)" : $"redis-server, data: {dataDirectory.Redis}";
        instance.MarkRunning(server.ProcessId);
        instance.MarkHealth(HealthStatus.Healthy);
    }

    private async Task StartProjectAsync(ProjectResource project, IReadOnlyList<ResourceInstance> instances, CancellationToken cancellationToken)
    {
        var dotnet = DotNetHost.Path;
        var workingDirectory = Path.GetDirectoryName(project.Metadata.ProjectPath) is { } dir && Directory.Exists(dir)
            ? dir
            : Path.GetDirectoryName(project.Metadata.TargetPath)!;

        var replicas = new List<(ResourceInstance Instance, ChildProcess Process, Uri Health)>();
        for (var i = 0; i < project.Replicas; i++)
        {
            var instance = instances[i];
            cancellationToken.ThrowIfCancellationRequested();
            // The built output, not `dotnet run`: no build per start and per replica, and the pid is the service's own.
            var process = ChildProcess.Start(new ChildProcessOptions
            {
                FileName = dotnet,
                Arguments = ["exec", project.Metadata.TargetPath],
                Environment = environment.For(project, i),
                WorkingDirectory = workingDirectory,
                Output = reporter.OutputOf(instance),
            });
            started.Add(instance, process);
            instance.MarkProcessStarted(process.Id);
            runRecord.Add(instance.Name, process.Id);
            reporter.WatchForExit(instance, process.Exited);
            replicas.Add((instance, process, new Uri($"{ports.HttpUrl(project, i)}/health")));
        }

        await Task.WhenAll(replicas.Select(async replica =>
        {
            await HealthProbes.WaitForHttpHealthyAsync(replica.Instance.Name, replica.Health, replica.Process,
                options.WaitTimeout, cancellationToken).ConfigureAwait(false);
            replica.Instance.MarkRunning(replica.Process.Id);
            replica.Instance.MarkHealth(HealthStatus.Healthy);
        })).ConfigureAwait(false);
    }

    /// <summary>Nothing to start: an external connection string is passed on when configured, and is optional.</summary>
    private Task MarkConfigured(ConnectionStringResource resource, ResourceInstance instance)
    {
        instance.MarkRunning(null);
        instance.MarkHealth(HealthStatus.Healthy);
        instance.Details = environment.ConnectionStringFor(resource) is null ? "not configured (optional)" : "configured";
        return Task.CompletedTask;
    }
}
