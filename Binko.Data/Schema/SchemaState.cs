namespace Binko.Data.Schema;

/// <summary>Whether this process has seen the database schema up to date. Once it is, it stays so.</summary>
public sealed class SchemaState
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Why the schema is not ready yet, for the health check.</summary>
    public string Status { get; private set; } = "not checked yet";

    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    internal void NotReady(string status) => Status = status;

    internal void Ready()
    {
        Status = "up to date";
        _ready.TrySetResult();
    }
}
