using Binko.AppHost.Postgres;
using Binko.AppHost.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Binko.AppHost;

/// <summary>
/// On Ctrl+C or SIGTERM, DCP would stop every resource at once. This stops the projects first (each gets SIGTERM and
/// shuts down gracefully: the worker puts a running job back), then Redis and Postgres, which then have no clients
/// left and shut down cleanly. It runs while the host is stopping, before Aspire's orchestrator stops the rest.
/// </summary>
internal sealed partial class OrderedShutdown(
    DistributedApplicationModel model,
    ResourceCommandService commands,
    ResourceNotificationService notifications,
    ILogger<OrderedShutdown> logger) : IHostedLifecycleService
{
    /// <summary>How long an exit DCP has reported may take to reach the resource's state (a busy machine can be slow).</summary>
    private static readonly TimeSpan ExitRecordedTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private Task? _stopping;

    /// <summary>Once: the host may be stopped twice (Aspire's testing host is stopped by the test and again by the
    /// AppHost's own Run), and a stop command for a resource that has already stopped waits, retrying, until shutdown
    /// times out.</summary>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
            return _stopping ??= StopInOrderAsync(cancellationToken);
    }

    private async Task StopInOrderAsync(CancellationToken cancellationToken)
    {
        await StopAsync(model.Resources.OfType<ProjectResource>(), cancellationToken).ConfigureAwait(false);
        await StopAsync(model.Resources.Where(r => r is LocalPostgresResource or LocalRedisResource), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops every instance of each resource, in parallel; returns once they have exited and their state says so (the
    /// dashboard, and whatever watches the states, see each exit before the orchestrator stops reporting), or could
    /// not be stopped.
    /// </summary>
    private async Task StopAsync(IEnumerable<IResource> resources, CancellationToken cancellationToken) =>
        await Task.WhenAll(resources.Select(async resource =>
        {
            var result = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand, cancellationToken).ConfigureAwait(false);
            if (result.Success)
                await WaitUntilExitRecordedAsync(resource, cancellationToken).ConfigureAwait(false);
            else
                LogNotStopped(logger, resource.Name, result.Message);
        })).ConfigureAwait(false);

    /// <summary>Waits (bounded) until every replica of <paramref name="resource"/> is in a terminal state.</summary>
    private async Task WaitUntilExitRecordedAsync(IResource resource, CancellationToken cancellationToken)
    {
        var replicas = resource.TryGetLastAnnotation<ReplicaAnnotation>(out var annotation) ? annotation.Replicas : 1;
        var exited = new HashSet<string>(StringComparer.Ordinal);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ExitRecordedTimeout);
        try
        {
            // The watch starts with every resource's current state, so exits recorded already count.
            await foreach (var update in notifications.WatchAsync(timeout.Token).ConfigureAwait(false))
            {
                if (update.Resource == resource && KnownResourceStates.TerminalStates.Contains(update.Snapshot.State?.Text) &&
                    exited.Add(update.ResourceId) && exited.Count >= replicas)
                    return;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogExitNotRecorded(logger, resource.Name, ExitRecordedTimeout.TotalSeconds);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stopping {Resource} before the others did not succeed: {Error}")]
    private static partial void LogNotStopped(ILogger logger, string resource, string? error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Resource} was stopped, but its state did not say so within {Seconds} s")]
    private static partial void LogExitNotRecorded(ILogger logger, string resource, double seconds);
}
