using Binko.AppHost.Orchestration;

namespace Binko.AppHost.Hosting;

/// <summary>Waits for resources to reach a state, as Aspire's <c>ResourceNotificationService</c>.</summary>
public sealed class ResourceNotificationService
{
    private readonly DistributedApplication _application;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal ResourceNotificationService(DistributedApplication application) => _application = application;

    /// <summary>
    /// Completes when every instance of <paramref name="resourceName"/> is healthy (Postgres accepts connections, Redis
    /// answers PING, each replica's /health answers 200); throws when it failed to start.
    /// </summary>
    public async Task WaitForResourceHealthyAsync(string resourceName, CancellationToken cancellationToken = default)
    {
        var resource = _application.FindResource(resourceName);
        await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _application.Orchestrator!.WaitForHealthyAsync(resource, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The current state of each instance of <paramref name="resourceName"/>.</summary>
    public IReadOnlyList<ResourceSnapshot> GetSnapshots(string resourceName)
    {
        var resource = _application.FindResource(resourceName);
        return _application.Orchestrator?.InstancesOf(resource).Select(i => i.Snapshot()).ToList() ?? [];
    }

    internal void OnStarting() => _started.TrySetResult();
}
