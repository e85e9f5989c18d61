namespace Binko.GenerationWorker.Jobs;

/// <summary>This replica's name: the lease owner on the jobs it claims and its key in the worker registry.
/// Unique per process start, so two replicas (or a restarted one) never share a lease.</summary>
public sealed class WorkerIdentity
{
    public string Name { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
}
