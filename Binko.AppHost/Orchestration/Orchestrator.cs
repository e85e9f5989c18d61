using System.Data.Common;
using System.Runtime.InteropServices;
using System.Text;
using Binko.AppHost.Hosting;
using Binko.AppHost.Hosting.Processes;
using Binko.AppHost.Hosting.Servers;
using Microsoft.Extensions.Configuration;

namespace Binko.AppHost.Orchestration;

/// <summary>
/// Run mode: starts the app model's resources as local processes in WaitFor order, watches them, and stops them
/// (projects first, dependents before what they depend on, then Redis, then Postgres).
/// </summary>
internal sealed class Orchestrator : IAsyncDisposable
{
    private const string Host = "127.0.0.1";

    private readonly IReadOnlyList<IResource> _model;
    private readonly IConfiguration _configuration;
    private readonly AppHostOptions _options;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly Dictionary<IResource, TaskCompletionSource> _healthy = [];
    private readonly Dictionary<IResource, List<ResourceInstance>> _instances = [];
    private readonly Dictionary<IResource, int> _ports = [];
    private readonly HashSet<int> _reservedPorts = [];
    private readonly Dictionary<ProjectResource, int[]> _projectPorts = [];
    private readonly Dictionary<PostgresServerResource, PostgresServer> _postgres = [];
    private readonly Dictionary<RedisResource, RedisServer> _redis = [];
    private readonly Dictionary<ResourceInstance, ChildProcess> _processes = [];
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _stopLock = new();
    private IReadOnlyDictionary<string, string> _parameters = new Dictionary<string, string>();
    private DataDirectory? _dataDirectory;
    private RunRecord? _runRecord;
    private Task? _stopTask;
    private Task? _healthMonitor;
    private volatile bool _stopping;
    private readonly System.Diagnostics.Stopwatch _sinceStart = new();

    public Orchestrator(IReadOnlyList<IResource> model, IConfiguration configuration, AppHostOptions options, TextWriter output, TextWriter error)
    {
        _model = model;
        _configuration = configuration;
        _options = options;
        _output = output;
        _error = error;
        foreach (var resource in model)
        {
            _healthy[resource] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _instances[resource] = resource switch
            {
                ParameterResource => [],
                ProjectResource project => [.. Enumerable.Range(0, project.Replicas).Select(i => new ResourceInstance($"{project.Name}-{i}", project.Name, "Project"))],
                _ => [new ResourceInstance(resource.Name, resource.Name, TypeName(resource))],
            };
        }
    }

    public IEnumerable<ResourceInstance> Instances => _model.SelectMany(r => _instances[r]);

    public int DashboardPort { get; private set; }

    /// <summary>
    /// Checks what can be checked before anything starts (Postgres binaries, the data directory, ports, parameters), so
    /// that a wrong setting is one clear error and nothing is left half-started.
    /// </summary>
    public async Task PrepareAsync()
    {
        // Settings first, so that a malformed one fails before anything is created.
        var firstReplicaPorts = _model.OfType<ProjectResource>()
            .ToDictionary(p => p, p => AppHostOptions.ProjectPort(_configuration, p.Name, p.HttpPort));

        if (_model.OfType<PostgresServerResource>().Any())
        {
            try
            {
                PostgresBinaries.Locate();
            }
            catch (InvalidOperationException ex)
            {
                throw new AppHostException(ex.Message, ex);
            }
        }

        _dataDirectory = DataDirectory.Open(_options.DataDirectory);
        // Before the ports are checked: processes a killed AppHost left behind would hold them.
        _runRecord = await RunRecord.ClaimAsync(_dataDirectory.Path, _output).ConfigureAwait(false);
        _parameters = _dataDirectory.ResolveParameters(_model.OfType<ParameterResource>(), _configuration);
        foreach (var redis in _model.OfType<RedisResource>())
        {
            if (_parameters[redis.Password.Name].AsSpan().IndexOfAny(",=\r\n") >= 0)
                throw new AppHostException($"{redis.Password.ConfigurationKey} cannot contain ',', '=' or line breaks: it goes into a StackExchange.Redis connection string.");
        }

        DashboardPort = ReservePort(_options.DashboardPort, "the dashboard", "Ports:Dashboard");
        foreach (var resource in _model)
        {
            switch (resource)
            {
                case PostgresServerResource:
                    _ports[resource] = ReservePort(_options.PostgresPort, $"'{resource.Name}'", "Ports:Postgres");
                    break;
                case RedisResource:
                    _ports[resource] = ReservePort(_options.RedisPort, $"'{resource.Name}'", "Ports:Redis");
                    break;
                case ProjectResource project:
                    if (!File.Exists(project.Metadata.TargetPath))
                        throw new AppHostException($"Project '{project.Name}' is not built: {project.Metadata.TargetPath} does not exist. Run `dotnet build` first.");
                    _projectPorts[project] =
                    [
                        ReservePort(firstReplicaPorts[project], $"'{project.Name}'", AppHostOptions.ProjectPortKey(project.Name)),
                        .. Enumerable.Range(1, project.Replicas - 1).Select(_ => ReservePort(0, "", "")),
                    ];
                    for (var i = 0; i < project.Replicas; i++)
                        _instances[project][i].SetEndpoints(Url(_projectPorts[project][i]));
                    break;
            }
        }
    }

    /// <summary>Starts every resource, each once what it waits for is healthy; returns when all are healthy.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _sinceStart.Start();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var tasks = _model.Select(resource => StartResourceAsync(resource, failed)).ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (tasks.Any(t => t.IsFaulted))
        {
            // Report the root cause, not the resources that were cancelled or never started because of it.
            var rootCause = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!)
                .FirstOrDefault(ex => ex is not DependencyFailedException) ?? tasks.First(t => t.IsFaulted).Exception!.InnerException!;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(rootCause).Throw();
        }
        _healthMonitor = MonitorHealthAsync(_lifetime.Token);
    }

    public Task WaitForHealthyAsync(IResource resource, CancellationToken cancellationToken) =>
        _healthy[resource].Task.WaitAsync(cancellationToken);

    public IReadOnlyList<ResourceInstance> InstancesOf(IResource resource) => _instances[resource];

    /// <summary>Marks the run as stopping, so that children exiting from now on are not reported as crashes.</summary>
    public void BeginStop() => _stopping = true;

    /// <summary>Idempotent: projects (dependents first), then Redis, then Postgres.</summary>
    public Task StopAsync()
    {
        lock (_stopLock)
            _stopTask ??= StopCoreAsync();
        return _stopTask;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _lifetime.Dispose();
    }

    private async Task StartResourceAsync(IResource resource, CancellationTokenSource failed)
    {
        var cancellationToken = failed.Token;
        try
        {
            foreach (var dependency in DependenciesOf(resource))
            {
                try
                {
                    await _healthy[dependency].Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    throw new DependencyFailedException($"'{resource.Name}' was not started: '{dependency.Name}', which it waits for, failed.", ex);
                }
            }

            foreach (var instance in _instances[resource])
                instance.MarkStarting();

            switch (resource)
            {
                case PostgresServerResource postgres:
                    await StartPostgresAsync(postgres, cancellationToken).ConfigureAwait(false);
                    break;
                case PostgresDatabaseResource database:
                    await CreateDatabaseAsync(database, cancellationToken).ConfigureAwait(false);
                    break;
                case RedisResource redis:
                    await StartRedisAsync(redis, cancellationToken).ConfigureAwait(false);
                    break;
                case ProjectResource project:
                    await StartProjectAsync(project, cancellationToken).ConfigureAwait(false);
                    break;
                case ConnectionStringResource connectionString:
                    var instance = _instances[resource][0];
                    instance.MarkRunning(null);
                    instance.MarkHealth(HealthStatus.Healthy);
                    instance.Details = ConnectionStringFor(connectionString) is null ? "not configured (optional)" : "configured";
                    break;
            }
            _healthy[resource].TrySetResult();
            if (resource is not (ConnectionStringResource or ParameterResource))
                await _output.WriteLineAsync($"[apphost] {resource.Name} is healthy ({_sinceStart.Elapsed.TotalSeconds:0.0} s)").ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            foreach (var instance in _instances[resource])
                instance.MarkFailed(ex is OperationCanceledException ? "start cancelled" : FirstLine(ex.Message));
            _healthy[resource].TrySetException(ex);
            if (ex is not OperationCanceledException)
                await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private IEnumerable<IResource> DependenciesOf(IResource resource)
    {
        if (resource is PostgresDatabaseResource database)
            yield return database.Parent;
        if (resource is Resource { WaitsFor: var waitsFor })
        {
            foreach (var dependency in waitsFor)
                yield return dependency;
        }
    }

    private async Task StartPostgresAsync(PostgresServerResource resource, CancellationToken cancellationToken)
    {
        var instance = _instances[resource][0];
        var port = _ports[resource];
        instance.SetEndpoints($"tcp://{Host}:{port}");
        instance.Details = $"data: {_dataDirectory!.Postgres}";
        var server = await PostgresServer.StartAsync(new PostgresServerOptions
        {
            DataDirectory = _dataDirectory.Postgres,
            Password = _parameters[resource.Password.Name],
            Port = port,
            Durable = _options.Durable,
            Output = line => OnOutput(instance, line),
            StartupTimeout = _options.WaitTimeout,
        }, cancellationToken).ConfigureAwait(false);
        lock (_postgres)
            _postgres[resource] = server;
        _runRecord!.Add("postgres", server.ProcessId);
        instance.MarkRunning(server.ProcessId);
        instance.MarkHealth(HealthStatus.Healthy);
        _ = ReportExitAsync(instance, server.Exited);
    }

    private async Task CreateDatabaseAsync(PostgresDatabaseResource resource, CancellationToken cancellationToken)
    {
        var instance = _instances[resource][0];
        PostgresServer server;
        lock (_postgres)
            server = _postgres[resource.Parent];
        instance.Details = $"database '{resource.DatabaseName}' on '{resource.Parent.Name}'";
        await server.CreateDatabaseAsync(resource.DatabaseName, ct: cancellationToken).ConfigureAwait(false);
        instance.MarkRunning(null);
        instance.MarkHealth(HealthStatus.Healthy);
    }

    private async Task StartRedisAsync(RedisResource resource, CancellationToken cancellationToken)
    {
        var instance = _instances[resource][0];
        var port = _ports[resource];
        instance.SetEndpoints($"tcp://{Host}:{port}");
        var server = await RedisServer.StartAsync(new RedisServerOptions
        {
            Password = _parameters[resource.Password.Name],
            Port = port,
            DataDirectory = _dataDirectory!.Redis,
            PreferEmbedded = _options.EmbeddedRedis,
            Output = line => OnOutput(instance, line),
            StartupTimeout = _options.WaitTimeout,
        }, cancellationToken).ConfigureAwait(false);
        lock (_redis)
            _redis[resource] = server;
        if (server.ProcessId is { } redisProcessId)
            _runRecord!.Add("redis-server", redisProcessId);
        instance.Details = server.ProcessId is null ? "embedded Garnet (in the AppHost process, no persistence)" : $"redis-server, data: {_dataDirectory.Redis}";
        instance.MarkRunning(server.ProcessId);
        instance.MarkHealth(HealthStatus.Healthy);
    }

    private async Task StartProjectAsync(ProjectResource project, CancellationToken cancellationToken)
    {
        var dotnet = DotNetHost.Path;
        var workingDirectory = Path.GetDirectoryName(project.Metadata.ProjectPath) is { } dir && Directory.Exists(dir)
            ? dir
            : Path.GetDirectoryName(project.Metadata.TargetPath)!;

        var replicas = new List<(ResourceInstance Instance, ChildProcess Process, int Port)>();
        for (var i = 0; i < project.Replicas; i++)
        {
            var instance = _instances[project][i];
            var port = _projectPorts[project][i];
            cancellationToken.ThrowIfCancellationRequested();
            // The built output, not `dotnet run`: no build per start and per replica, and the pid is the service's own.
            var process = ChildProcess.Start(new ChildProcessOptions
            {
                FileName = dotnet,
                Arguments = ["exec", project.Metadata.TargetPath],
                Environment = ProjectEnvironment(project, i, port),
                WorkingDirectory = workingDirectory,
                Output = line => OnOutput(instance, line),
            });
            lock (_processes)
                _processes[instance] = process;
            instance.MarkProcessStarted(process.Id);
            _runRecord!.Add(instance.Name, process.Id);
            _ = ReportExitAsync(instance, process.Exited);
            replicas.Add((instance, process, port));
        }

        await Task.WhenAll(replicas.Select(async replica =>
        {
            await HealthProbes.WaitForHttpHealthyAsync(replica.Instance.Name, new Uri($"{Url(replica.Port)}/health"), replica.Process,
                _options.WaitTimeout, cancellationToken).ConfigureAwait(false);
            replica.Instance.MarkRunning(replica.Process.Id);
            replica.Instance.MarkHealth(HealthStatus.Healthy);
        })).ConfigureAwait(false);
    }

    /// <summary>The variables Aspire gives a project, on top of the AppHost's own environment.</summary>
    private Dictionary<string, string?> ProjectEnvironment(ProjectResource project, int replica, int port)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // Not inherited from the AppHost: they would make every child listen on the AppHost's URL or environment.
            ["DOTNET_ENVIRONMENT"] = null,
            ["DOTNET_LAUNCH_PROFILE"] = null,
            ["ASPNETCORE_URLS"] = Url(port),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["OTEL_SERVICE_NAME"] = project.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={project.Name}-{replica}",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
        };
        if (_options.OtlpEndpoint is { } otlp)
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;

        foreach (var reference in project.References)
        {
            switch (reference)
            {
                case ProjectResource target:
                    for (var i = 0; i < target.Replicas; i++)
                        environment[$"services__{target.Name}__http__{i}"] = Url(_projectPorts[target][i]);
                    break;
                case IResourceWithConnectionString source when ConnectionStringFor(source) is { } connectionString:
                    environment[$"ConnectionStrings__{source.Name}"] = connectionString;
                    break;
            }
        }
        foreach (var (name, value) in project.Environment)
            environment[name] = value;
        return environment;
    }

    /// <summary>Aspire's formats; null for an optional connection string that is not configured.</summary>
    private string? ConnectionStringFor(IResource resource) => resource switch
    {
        PostgresServerResource server => new StringBuilder()
            .Append("Host=").Append(Host).Append(";Port=").Append(_ports[server]).Append(";Username=").Append(PostgresServerResource.UserName)
            .Append(';').Append(KeyValue("Password", _parameters[server.Password.Name])).ToString(),
        PostgresDatabaseResource database => ConnectionStringFor(database.Parent) + ";" + KeyValue("Database", database.DatabaseName),
        RedisResource redis => $"{Host}:{_ports[redis]},password={_parameters[redis.Password.Name]}",
        ConnectionStringResource external => _configuration[external.ConfigurationKey] is { Length: > 0 } value ? value : null,
        _ => throw new InvalidOperationException($"{resource} has no connection string."),
    };

    private static string KeyValue(string key, string value)
    {
        var builder = new StringBuilder();
        DbConnectionStringBuilder.AppendKeyValuePair(builder, key, value);
        return builder.ToString();
    }

    private async Task ReportExitAsync(ResourceInstance instance, Task<int> exited)
    {
        var exitCode = await exited.ConfigureAwait(false);
        if (_stopping)
            return;
        instance.MarkExited(exitCode);
        instance.Log.Add($"[apphost] exited with code {exitCode}");
        await _error.WriteLineAsync($"[apphost] {instance.Name} (pid {instance.ProcessId}) exited unexpectedly with code {exitCode}; see its output above or on the dashboard.").ConfigureAwait(false);
    }

    private void OnOutput(ResourceInstance instance, string line)
    {
        instance.Log.Add(line);
        if (_options.EchoOutput)
            _output.WriteLine($"[{instance.Name}] {line}");
    }

    /// <summary>Keeps the dashboard's health column current.</summary>
    private async Task MonitorHealthAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HealthInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var probes = new List<Task>();
                foreach (var resource in _model)
                {
                    foreach (var instance in _instances[resource].Where(i => i.State == ResourceState.Running))
                        probes.Add(ProbeAsync(resource, instance, cancellationToken));
                }
                await Task.WhenAll(probes).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ProbeAsync(IResource resource, ResourceInstance instance, CancellationToken cancellationToken)
    {
        var healthy = resource switch
        {
            PostgresServerResource or PostgresDatabaseResource => await HealthProbes.PostgresAcceptsAsync(ConnectionStringFor(resource)!, cancellationToken).ConfigureAwait(false),
            RedisResource redis => await HealthProbes.RedisPingsAsync(RedisServerOf(redis), cancellationToken).ConfigureAwait(false),
            ProjectResource => await HealthProbes.HttpHealthyAsync(new Uri($"{instance.Endpoints[0]}/health"), cancellationToken).ConfigureAwait(false),
            _ => true,
        };
        if (!_stopping)
            instance.MarkHealth(healthy ? HealthStatus.Healthy : HealthStatus.Unhealthy);
    }

    private RedisServer? RedisServerOf(RedisResource resource)
    {
        lock (_redis)
            return _redis.GetValueOrDefault(resource);
    }

    private async Task StopCoreAsync()
    {
        _stopping = true;
        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (_healthMonitor is not null)
        {
            try
            {
                await _healthMonitor.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Stopping must go on whatever the monitor hit; say what it was.
                await _error.WriteLineAsync($"[apphost] the health monitor failed: {ex}").ConfigureAwait(false);
            }
        }

        // Dependents first: the worker before the api it calls, so it never sees the api vanish mid-run.
        foreach (var layer in _model.OfType<ProjectResource>().GroupBy(ProjectDepth).OrderByDescending(g => g.Key))
        {
            var stops = new List<Task>();
            foreach (var project in layer)
            {
                foreach (var instance in _instances[project])
                {
                    ChildProcess? process;
                    lock (_processes)
                        process = _processes.GetValueOrDefault(instance);
                    if (process is not null)
                        stops.Add(StopProcessAsync(instance, process));
                }
            }
            await Task.WhenAll(stops).ConfigureAwait(false);
        }

        foreach (var (resource, server) in Snapshot(_redis))
            await StopServerAsync(_instances[resource][0], () => server.StopAsync()).ConfigureAwait(false);
        foreach (var database in _model.OfType<PostgresDatabaseResource>())
            _instances[database][0].MarkStopped();
        foreach (var (resource, server) in Snapshot(_postgres))
            await StopServerAsync(_instances[resource][0], async () => await server.DisposeAsync().ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var instance in Instances)
            instance.MarkStopped();
        _runRecord?.Delete();
    }

    private async Task StopProcessAsync(ResourceInstance instance, ChildProcess process)
    {
        instance.MarkStopping();
        try
        {
            await process.StopAsync(_options.StopGrace, Signal.SIGTERM).ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            await _error.WriteLineAsync($"[apphost] {instance.Name}: {ex.Message}").ConfigureAwait(false);
        }
        instance.MarkStopped();
    }

    private async Task StopServerAsync(ResourceInstance instance, Func<Task> stop)
    {
        instance.MarkStopping();
        try
        {
            await stop().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or IOException)
        {
            // Keep stopping the others; say what could not be stopped.
            await _error.WriteLineAsync($"[apphost] stopping {instance.Name} failed: {ex.Message}").ConfigureAwait(false);
        }
        instance.MarkStopped();
    }

    private int ProjectDepth(ProjectResource project) => ProjectDepth(project, []);

    private int ProjectDepth(ProjectResource project, HashSet<ProjectResource> visiting)
    {
        if (!visiting.Add(project))
            return 0;
        var upstream = project.WaitsFor.Concat(project.References).OfType<ProjectResource>().ToList();
        var depth = upstream.Count == 0 ? 0 : 1 + upstream.Max(p => ProjectDepth(p, visiting));
        visiting.Remove(project);
        return depth;
    }

    private static List<KeyValuePair<TKey, TValue>> Snapshot<TKey, TValue>(Dictionary<TKey, TValue> dictionary) where TKey : notnull
    {
        lock (dictionary)
            return [.. dictionary];
    }

    /// <summary>A port nothing listens on and no other resource of this run was given.</summary>
    private int ReservePort(int port, string owner, string key)
    {
        if (port == 0)
        {
            // The OS may hand out a just-released port again; skip the ones already given to another resource.
            for (var attempt = 0; attempt < 50; attempt++)
            {
                var free = FreePort.Get();
                if (_reservedPorts.Add(free))
                    return free;
            }
            throw new AppHostException("Could not find a free port on 127.0.0.1.");
        }
        if (!_reservedPorts.Add(port))
            throw new AppHostException($"Port {port}, wanted by {owner} ({key}), is also configured for another resource; give each its own port.");
        if (!FreePort.IsFree(port))
            throw new AppHostException(
                $"Port {port} on {Host}, wanted by {owner}, is already in use. Stop what listens there or choose another port with {key} " +
                $"(e.g. --{key}={NextSuggestion(port)} or {key.Replace(":", "__", StringComparison.Ordinal)}={NextSuggestion(port)}; 0 picks a free port).");
        return port;
    }

    private static int NextSuggestion(int port) => port < 65535 ? port + 10 > 65535 ? port + 1 : port + 10 : 0;

    private static string Url(int port) => $"http://{Host}:{port}";

    private static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd('\r');

    private static string TypeName(IResource resource) => resource switch
    {
        PostgresServerResource => "Postgres",
        PostgresDatabaseResource => "PostgresDatabase",
        RedisResource => "Redis",
        ConnectionStringResource => "ConnectionString",
        _ => resource.GetType().Name.Replace("Resource", "", StringComparison.Ordinal),
    };

    private sealed class DependencyFailedException(string message, Exception inner) : Exception(message, inner);
}

/// <summary>Finds the dotnet host that runs the projects' built assemblies.</summary>
internal static class DotNetHost
{
    public static string Path { get; } = Locate();

    private static string Locate()
    {
        // Started as `dotnet Binko.AppHost.dll` (or by `dotnet test`): the same host.
        if (Environment.ProcessPath is { } processPath && System.IO.Path.GetFileNameWithoutExtension(processPath) == "dotnet")
            return processPath;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
            return hostPath;
        // The runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/; the host is <root>/dotnet.
        var root = System.IO.Path.GetFullPath(System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var candidate = System.IO.Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        if (File.Exists(candidate))
            return candidate;
        return ChildProcess.FindOnPath("dotnet")
               ?? throw new AppHostException("Cannot find the dotnet host to run the projects: set DOTNET_HOST_PATH or put dotnet on PATH.");
    }
}
