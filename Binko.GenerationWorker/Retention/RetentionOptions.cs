using System.ComponentModel.DataAnnotations;

namespace Binko.GenerationWorker.Retention;

/// <summary>What the worker deletes, how much at a time and how often: section <c>Retention</c>, validated at start-up.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>False: this replica never deletes (another replica, or a scheduled job, may).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between the end of one round and the start of the next; the first starts once the schema is ready.</summary>
    [Range(1, 7 * 24 * 3600)] public int IntervalSeconds { get; set; } = 3600;

    /// <summary>Product events are kept this long after they were received.</summary>
    [Range(1, 3650)] public int EventDays { get; set; } = 90;

    /// <summary>Rows deleted by one statement (one short transaction).</summary>
    [Range(1, 100_000)] public int BatchSize { get; set; } = 1000;

    /// <summary>Batches per table in one round: what is left waits for the next round.</summary>
    [Range(1, 100_000)] public int MaxBatchesPerRound { get; set; } = 100;

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);
    public TimeSpan EventRetention => TimeSpan.FromDays(EventDays);
}
