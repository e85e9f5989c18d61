using Binko.AppHost.Hosting;
using Binko.AppHost.Hosting.Processes;
using Binko.AppHost.Hosting.Servers;

namespace Binko.AppHost.Orchestration;

/// <summary>
/// The servers and project processes this run started (added by concurrent start tasks), and their ordered stop:
/// projects (dependents before what they depend on), then Redis, then Postgres.
/// </summary>
internal sealed class StartedResources(InstanceTable instances, TimeSpan stopGrace, RunReporter reporter)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<PostgresServerResource, PostgresServer> _postgres = [];
    private readonly Dictionary<RedisResource, RedisServer> _redis = [];
    private readonly Dictionary<ResourceInstance, ChildProcess> _processes = [];

    public void Add(PostgresServerResource resource, PostgresServer server)
    {
        lock (_lock)
            _postgres[resource] = server;
    }

    public void Add(RedisResource resource, RedisServer server)
    {
        lock (_lock)
            _redis[resource] = server;
    }

    public void Add(ResourceInstance instance, ChildProcess process)
    {
        lock (_lock)
            _processes[instance] = process;
    }

    public PostgresServer PostgresOf(PostgresServerResource resource)
    {
        lock (_lock)
            return _postgres[resource];
    }

    public RedisServer? RedisOf(RedisResource resource)
    {
        lock (_lock)
            return _redis.GetValueOrDefault(resource);
    }

    /// <summary>Stops everything started so far; every instance ends up stopped (unless it failed or crashed).</summary>
    public async Task StopAllAsync()
    {
        // Dependents first: the worker before the api it calls, so it never sees the api vanish mid-run.
        foreach (var layer in instances.Resources.OfType<ProjectResource>().GroupBy(ProjectDepth).OrderByDescending(g => g.Key))
        {
            var stops = new List<Task>();
            foreach (var instance in layer.SelectMany(instances.Of))
            {
                ChildProcess? process;
                lock (_lock)
                    process = _processes.GetValueOrDefault(instance);
                if (process is not null)
                    stops.Add(StopProcessAsync(instance, process));
            }
            await Task.WhenAll(stops).ConfigureAwait(false);
        }

        foreach (var (resource, server) in Snapshot(_redis))
            await StopServerAsync(instances.Of(resource)[0], () => server.StopAsync()).ConfigureAwait(false);
        foreach (var database in instances.Resources.OfType<PostgresDatabaseResource>())
            instances.Of(database)[0].MarkStopped();
        foreach (var (resource, server) in Snapshot(_postgres))
            await StopServerAsync(instances.Of(resource)[0], async () => await server.DisposeAsync().ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var instance in instances.All)
            instance.MarkStopped();
    }

    private async Task StopProcessAsync(ResourceInstance instance, ChildProcess process)
    {
        instance.MarkStopping();
        try
        {
            await process.StopAsync(stopGrace, Signal.SIGTERM).ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            await reporter.ErrorAsync($"{instance.Name}: {ex.Message}").ConfigureAwait(false);
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
            await reporter.ErrorAsync($"stopping {instance.Name} failed: {ex.Message}").ConfigureAwait(false);
        }
        instance.MarkStopped();
    }

    private List<KeyValuePair<TKey, TValue>> Snapshot<TKey, TValue>(Dictionary<TKey, TValue> dictionary) where TKey : notnull
    {
        lock (_lock)
            return [.. dictionary];
    }

    private static int ProjectDepth(ProjectResource project) => ProjectDepth(project, []);

    private static int ProjectDepth(ProjectResource project, HashSet<ProjectResource> visiting)
    {
        if (!visiting.Add(project))
            return 0;
        var upstream = project.WaitsFor.Concat(project.References).OfType<ProjectResource>().ToList();
        var depth = upstream.Count == 0 ? 0 : 1 + upstream.Max(p => ProjectDepth(p, visiting));
        visiting.Remove(project);
        return depth;
    }
}
