using Binko.AppHost.Hosting;

namespace Binko.AppHost.Orchestration;

/// <summary>Keeps the dashboard's health column current: probes every running instance once per interval.</summary>
internal sealed class HealthMonitor(InstanceTable instances, StartedResources started, ProjectEnvironment environment, TimeSpan interval, Func<bool> stopping)
{
    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var probes = new List<Task>();
                foreach (var resource in instances.Resources)
                {
                    foreach (var instance in instances.Of(resource).Where(i => i.State == ResourceState.Running))
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
            PostgresServerResource or PostgresDatabaseResource => await HealthProbes.PostgresAcceptsAsync(environment.ConnectionStringFor(resource)!, cancellationToken).ConfigureAwait(false),
            RedisResource redis => await HealthProbes.RedisPingsAsync(started.RedisOf(redis), cancellationToken).ConfigureAwait(false),
            ProjectResource => await HealthProbes.HttpHealthyAsync(new Uri($"{instance.Endpoints[0]}/health"), cancellationToken).ConfigureAwait(false),
            _ => true,
        };
        // Once stopping, the stop sequence owns the health column.
        if (!stopping())
            instance.MarkHealth(healthy ? HealthStatus.Healthy : HealthStatus.Unhealthy);
    }
}
