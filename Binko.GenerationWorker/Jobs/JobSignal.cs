namespace Binko.GenerationWorker.Jobs;

/// <summary>Wakes idle claim loops: a NOTIFY from the API, or a retry falling due. A missed wake-up costs at most
/// one poll interval; an extra one costs one empty claim.</summary>
public sealed class JobSignal(int maxPending = 1024)
{
    private readonly SemaphoreSlim _pending = new(0, maxPending);

    public void Wake()
    {
        if (_pending.CurrentCount >= maxPending)
            return;
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another thread filled it between the check and the release: enough wake-ups are pending.
        }
    }

    /// <summary>Wakes a loop after <paramref name="delay"/> (a retry's back-off), unless the worker stops first.</summary>
    public void WakeAfter(TimeSpan delay, CancellationToken stoppingToken) =>
        _ = Task.Delay(delay, stoppingToken).ContinueWith(_ => Wake(), CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    /// <summary>Waits for a wake-up or the poll interval, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan poll, CancellationToken cancellationToken) => _pending.WaitAsync(poll, cancellationToken);
}
