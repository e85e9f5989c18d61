using System.ComponentModel.DataAnnotations;

namespace Binko.Api.Generations;

/// <summary>The API side of generation, section <c>Generation</c>.</summary>
public sealed class GenerationOptions
{
    public const string SectionName = "Generation";

    /// <summary>Backpressure: queued plus running generations allowed per live worker replica (at least one).</summary>
    [Range(1, 10_000)]
    public int MaxInFlightPerWorker { get; set; } = 25;

    /// <summary>How long <c>POST /api/v1/generate</c> waits before answering 202 instead; below the 60 s request timeout.</summary>
    [Range(1, 59)]
    public int SyncWaitSeconds { get; set; } = 55;

    /// <summary>The longest <c>?wait=</c> a client may ask for.</summary>
    [Range(0, 60)]
    public int MaxWaitSeconds { get; set; } = 30;

    /// <summary>How long an Idempotency-Key is remembered.</summary>
    [Range(1, 168)]
    public int IdempotencyHours { get; set; } = 24;
}

/// <summary>Daily generation allowances, section <c>Quotas</c>; reset at UTC midnight.</summary>
public sealed class QuotaOptions
{
    public const string SectionName = "Quotas";

    [Range(0, 1_000_000)]
    public int Guest { get; set; } = 3;

    [Range(0, 1_000_000)]
    public int Free { get; set; } = 20;

    [Range(0, 1_000_000)]
    public int Pro { get; set; } = 200;
}
