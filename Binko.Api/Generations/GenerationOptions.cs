using System.ComponentModel.DataAnnotations;
using Binko.Data.Generations;
using Binko.Data.Quotas;

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

    /// <summary>A waiting request is woken by the completion notification; it also re-reads its generation this often,
    /// in case a notification was lost.</summary>
    [Range(1, 60)]
    public int WaitFallbackSeconds { get; set; } = 10;

    /// <summary>Long-polls (<c>?wait=</c>, <c>POST /generate</c>) one caller may hold open at once in one API replica;
    /// beyond it a request answers at once with the generation's current state.</summary>
    [Range(1, 1000)]
    public int MaxWaitsPerCaller { get; set; } = 5;

    /// <summary>How long an Idempotency-Key is remembered.</summary>
    [Range(1, 168)]
    public int IdempotencyHours { get; set; } = 24;

    /// <summary>The model the workers generate with, a part of the response-cache key; the AppHost sets it from the
    /// LLM's settings. Only the name: the connection string, with its key, is the worker's alone.</summary>
    [Required, StringLength(200)]
    public string Model { get; set; } = LlmConnection.OfflineModel;
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

    public int For(string plan) => Plans.Allowance(plan, Guest, Free, Pro);
}

/// <summary>
/// Queued plus running generations one caller may have at a time, per plan, section <c>Quotas:InFlight</c>: so that
/// a few callers cannot fill <see cref="GenerationOptions.MaxInFlightPerWorker"/> and refuse everyone else. Beyond it,
/// 429 <c>too_many_in_flight</c>.
/// </summary>
public sealed class InFlightQuotaOptions
{
    public const string SectionName = "Quotas:InFlight";

    [Range(1, 10_000)]
    public int Guest { get; set; } = 2;

    [Range(1, 10_000)]
    public int Free { get; set; } = 4;

    [Range(1, 10_000)]
    public int Pro { get; set; } = 10;

    public int For(string plan) => Plans.Allowance(plan, Guest, Free, Pro);
}
