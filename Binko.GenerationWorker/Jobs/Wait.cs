namespace Binko.GenerationWorker.Jobs;

internal static class Wait
{
    /// <summary>Awaits <paramref name="wait"/>; false when the worker is stopping instead.</summary>
    public static async Task<bool> UntilAsync(Func<CancellationToken, Task> wait, CancellationToken stoppingToken)
    {
        try
        {
            await wait(stoppingToken);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
