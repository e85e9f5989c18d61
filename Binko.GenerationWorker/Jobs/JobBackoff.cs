namespace Binko.GenerationWorker.Jobs;

/// <summary>Jittered exponential back-off between a job's attempts: base × 2^(attempt−1) × [0.5, 1.5), at most 60 s.</summary>
public static class JobBackoff
{
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    public static TimeSpan Delay(int attempt, int baseDelayMs)
    {
        var exponential = baseDelayMs * Math.Pow(2, Math.Clamp(attempt - 1, 0, 20));
        var jittered = exponential * (0.5 + Random.Shared.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Min(jittered, Max.TotalMilliseconds));
    }
}
