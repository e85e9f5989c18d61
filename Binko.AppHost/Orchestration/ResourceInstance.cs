namespace Binko.AppHost.Orchestration;

public enum ResourceState
{
    /// <summary>Waiting for the resources it <c>WaitFor</c>s to be healthy.</summary>
    Waiting,
    Starting,
    Running,
    /// <summary>Could not start (its error is in <see cref="ResourceSnapshot.Error"/>).</summary>
    FailedToStart,
    /// <summary>Exited while it should have been running.</summary>
    Exited,
    Stopping,
    Stopped,
}

public enum HealthStatus
{
    Unknown,
    Healthy,
    Unhealthy,
}

/// <summary>One running thing: a server, a database, or one replica of a project ("api-0").</summary>
public sealed class ResourceInstance
{
    private readonly Lock _lock = new();

    internal ResourceInstance(string name, string resourceName, string type)
    {
        Name = name;
        ResourceName = resourceName;
        Type = type;
    }

    /// <summary>"postgres", "binkodb", "api-0".</summary>
    public string Name { get; }

    /// <summary>The app-model resource it belongs to: "api" for "api-1".</summary>
    public string ResourceName { get; }

    /// <summary>Postgres, PostgresDatabase, Redis, ConnectionString, Project.</summary>
    public string Type { get; }

    public ResourceLog Log { get; } = new();

    public ResourceState State { get; private set; } = ResourceState.Waiting;
    public HealthStatus Health { get; private set; } = HealthStatus.Unknown;
    public IReadOnlyList<string> Endpoints { get; private set; } = [];
    public int? ProcessId { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public int Restarts { get; private set; }
    public int? ExitCode { get; private set; }
    public string? Error { get; private set; }

    /// <summary>Extra facts shown on the dashboard ("redis-server" or "garnet", the data directory).</summary>
    public string? Details { get; internal set; }

    internal void SetEndpoints(params string[] endpoints) => Endpoints = endpoints;

    internal void MarkStarting()
    {
        lock (_lock)
            State = ResourceState.Starting;
    }

    internal void MarkRunning(int? processId)
    {
        lock (_lock)
        {
            State = ResourceState.Running;
            ProcessId = processId;
            StartedAt = DateTimeOffset.UtcNow;
        }
    }

    internal void MarkProcessStarted(int processId)
    {
        lock (_lock)
        {
            ProcessId = processId;
            StartedAt = DateTimeOffset.UtcNow;
        }
    }

    internal void MarkHealth(HealthStatus health)
    {
        lock (_lock)
            Health = health;
    }

    internal void MarkFailed(string error)
    {
        lock (_lock)
        {
            State = ResourceState.FailedToStart;
            Health = HealthStatus.Unhealthy;
            Error = error;
        }
    }

    internal void MarkExited(int exitCode)
    {
        lock (_lock)
        {
            State = ResourceState.Exited;
            Health = HealthStatus.Unhealthy;
            ExitCode = exitCode;
        }
    }

    internal void MarkStopping()
    {
        lock (_lock)
        {
            if (State is ResourceState.Running or ResourceState.Starting)
                State = ResourceState.Stopping;
        }
    }

    internal void MarkStopped()
    {
        lock (_lock)
        {
            if (State is not (ResourceState.FailedToStart or ResourceState.Exited))
                State = ResourceState.Stopped;
            Health = HealthStatus.Unknown;
        }
    }

    public ResourceSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new ResourceSnapshot(Name, ResourceName, Type, State, Health, Endpoints, ProcessId, StartedAt,
                StartedAt is { } started && State is ResourceState.Running ? DateTimeOffset.UtcNow - started : null,
                Restarts, ExitCode, Error, Details);
        }
    }
}

/// <summary>What the dashboard and tests see of a <see cref="ResourceInstance"/> at one moment.</summary>
public sealed record ResourceSnapshot(
    string Name,
    string ResourceName,
    string Type,
    ResourceState State,
    HealthStatus Health,
    IReadOnlyList<string> Endpoints,
    int? ProcessId,
    DateTimeOffset? StartedAt,
    TimeSpan? Uptime,
    int Restarts,
    int? ExitCode,
    string? Error,
    string? Details);
