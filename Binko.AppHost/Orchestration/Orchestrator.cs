using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Binko.AppHost.Hosting;
using Binko.AppHost.Hosting.Servers;
using Microsoft.Extensions.Configuration;

namespace Binko.AppHost.Orchestration;

/// <summary>
/// Run mode: starts the app model's resources as local processes in WaitFor order, watches them, and stops them
/// (projects first, dependents before what they depend on, then Redis, then Postgres).
/// </summary>
internal sealed class Orchestrator : IAsyncDisposable
{
    private readonly IConfiguration _configuration;
    private readonly AppHostOptions _options;
    private readonly InstanceTable _instances;
    private readonly Dictionary<IResource, TaskCompletionSource> _healthy = [];
    private readonly PortAllocator _ports = new();
    private readonly RunReporter _reporter;
    private readonly StartedResources _started;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _stopLock = new();
    private readonly Stopwatch _sinceStart = new();
    private ProjectEnvironment? _environment;
    private ResourceLauncher? _launcher;
    private RunRecord? _runRecord;
    private Task? _stopTask;
    private Task? _healthMonitor;
    private volatile bool _stopping;

    public Orchestrator(IReadOnlyList<IResource> model, IConfiguration configuration, AppHostOptions options, TextWriter output, TextWriter error)
    {
        _configuration = configuration;
        _options = options;
        _instances = new InstanceTable(model);
        foreach (var resource in model)
            _healthy[resource] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _reporter = new RunReporter(output, error, options.EchoOutput, () => _stopping);
        _started = new StartedResources(_instances, options.StopGrace, _reporter);
    }

    public IEnumerable<ResourceInstance> Instances => _instances.All;

    public int DashboardPort { get; private set; }

    /// <summary>
    /// Checks what can be checked before anything starts (Postgres binaries, the data directory, ports, parameters), so
    /// that a wrong setting is one clear error and nothing is left half-started.
    /// </summary>
    public async Task PrepareAsync()
    {
        var model = _instances.Resources;
        // Settings first, so that a malformed one fails before anything is created.
        var firstReplicaPorts = model.OfType<ProjectResource>()
            .ToDictionary(p => p, p => AppHostOptions.ProjectPort(_configuration, p.Name, p.HttpPort));

        if (model.OfType<PostgresServerResource>().Any())
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

        var dataDirectory = DataDirectory.Open(_options.DataDirectory);
        // Before the ports are checked: processes a killed AppHost left behind would hold them.
        _runRecord = await RunRecord.ClaimAsync(dataDirectory.Path, _reporter).ConfigureAwait(false);
        var parameters = dataDirectory.ResolveParameters(model.OfType<ParameterResource>(), _configuration);
        foreach (var redis in model.OfType<RedisResource>())
        {
            if (parameters[redis.Password.Name].AsSpan().IndexOfAny(",=\r\n") >= 0)
                throw new AppHostException($"{redis.Password.ConfigurationKey} cannot contain ',', '=' or line breaks: it goes into a StackExchange.Redis connection string.");
        }

        ReservePorts(firstReplicaPorts);
        _environment = new ProjectEnvironment(_ports, parameters, _configuration, _options.OtlpEndpoint);
        _launcher = new ResourceLauncher(_ports, _environment, parameters, dataDirectory, _runRecord, _started, _options, _reporter);
    }

    /// <summary>Starts every resource, each once what it waits for is healthy; returns when all are healthy.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _sinceStart.Start();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var tasks = _instances.Resources.Select(resource => StartResourceAsync(resource, failed)).ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (tasks.Any(t => t.IsFaulted))
        {
            // Report the root cause, not the resources that were cancelled or never started because of it.
            var rootCause = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!)
                .FirstOrDefault(ex => ex is not DependencyFailedException) ?? tasks.First(t => t.IsFaulted).Exception!.InnerException!;
            ExceptionDispatchInfo.Capture(rootCause).Throw();
        }
        var monitor = new HealthMonitor(_instances, _started, _environment!, _options.HealthInterval, () => _stopping);
        _healthMonitor = monitor.RunAsync(_lifetime.Token);
    }

    public Task WaitForHealthyAsync(IResource resource, CancellationToken cancellationToken) =>
        _healthy[resource].Task.WaitAsync(cancellationToken);

    public IReadOnlyList<ResourceInstance> InstancesOf(IResource resource) => _instances.Of(resource);

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

    /// <summary>The dashboard's port, then each server's and each project replica's, in model order.</summary>
    private void ReservePorts(Dictionary<ProjectResource, int> firstReplicaPorts)
    {
        DashboardPort = _ports.Reserve(_options.DashboardPort, "the dashboard", "Ports:Dashboard");
        foreach (var resource in _instances.Resources)
        {
            switch (resource)
            {
                case PostgresServerResource:
                    _ports.ReserveFor(resource, _options.PostgresPort, "Ports:Postgres");
                    break;
                case RedisResource:
                    _ports.ReserveFor(resource, _options.RedisPort, "Ports:Redis");
                    break;
                case ProjectResource project:
                    if (!File.Exists(project.Metadata.TargetPath))
                        throw new AppHostException($"Project '{project.Name}' is not built: {project.Metadata.TargetPath} does not exist. Run `dotnet build` first.");
                    _ports.ReserveFor(project, firstReplicaPorts[project], AppHostOptions.ProjectPortKey(project.Name), project.Replicas);
                    for (var i = 0; i < project.Replicas; i++)
                        _instances.Of(project)[i].SetEndpoints(_ports.HttpUrl(project, i));
                    break;
            }
        }
    }

    private async Task StartResourceAsync(IResource resource, CancellationTokenSource failed)
    {
        var cancellationToken = failed.Token;
        var instances = _instances.Of(resource);
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

            foreach (var instance in instances)
                instance.MarkStarting();
            await _launcher!.StartAsync(resource, instances, cancellationToken).ConfigureAwait(false);
            _healthy[resource].TrySetResult();
            if (resource is not (ConnectionStringResource or ParameterResource))
                await _reporter.InfoAsync($"{resource.Name} is healthy ({_sinceStart.Elapsed.TotalSeconds:0.0} s)").ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            foreach (var instance in instances)
                instance.MarkFailed(ex is OperationCanceledException ? "start cancelled" : FirstLine(ex.Message));
            _healthy[resource].TrySetException(ex);
            if (ex is not OperationCanceledException)
                await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static IEnumerable<IResource> DependenciesOf(IResource resource)
    {
        if (resource is PostgresDatabaseResource database)
            yield return database.Parent;
        if (resource is Resource { WaitsFor: var waitsFor })
        {
            foreach (var dependency in waitsFor)
                yield return dependency;
        }
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
                await _reporter.ErrorAsync($"the health monitor failed: {ex}").ConfigureAwait(false);
            }
        }
        await _started.StopAllAsync().ConfigureAwait(false);
        _runRecord?.Delete();
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd('\r');

    private sealed class DependencyFailedException(string message, Exception inner) : Exception(message, inner);
}
