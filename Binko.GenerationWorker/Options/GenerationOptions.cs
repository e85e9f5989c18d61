using System.ComponentModel.DataAnnotations;

namespace Binko.GenerationWorker.Options;

/// <summary>The worker's settings, section <c>Generation</c>; validated at start-up.</summary>
public sealed class GenerationOptions
{
    public const string SectionName = "Generation";

    /// <summary>Jobs this replica generates at the same time: its LLM calls (or offline generations) in flight.</summary>
    [Range(1, 256)] public int Concurrency { get; set; } = 4;

    /// <summary>Jobs claimed ahead of a free generation slot, so that one job's database work (claim, context, the
    /// completing write) overlaps other jobs' LLM calls instead of leaving a slot idle. Unset: a quarter of
    /// <see cref="Concurrency"/>, rounded up.</summary>
    [Range(0, 256)] public int? ClaimAhead { get; set; }

    /// <summary>How long a claimed job stays ours without a heartbeat; a dead worker's job is re-claimed after it.</summary>
    [Range(1, 3600)] public int LeaseSeconds { get; set; } = 30;

    /// <summary>How often a running job's lease is extended, and how often the worker registry beat is written.</summary>
    [Range(1, 600)] public int HeartbeatSeconds { get; set; } = 10;

    /// <summary>The fallback when no NOTIFY arrives: idle claim loops look for work this often.</summary>
    [Range(0.05, 600)] public double PollSeconds { get; set; } = 2;

    /// <summary>Attempts per job (claims); after the last one an unavailable LLM degrades the job to catalog ideas.</summary>
    [Range(1, 100)] public int MaxAttempts { get; set; } = 3;

    /// <summary>Base of the jittered exponential back-off, both between job attempts and between LLM retries.</summary>
    [Range(1, 600_000)] public int RetryBaseDelayMs { get; set; } = 500;

    /// <summary>How long a completed, non-degraded result stays in the response cache.</summary>
    [Range(1, 30 * 24 * 3600)] public int CacheTtlSeconds { get; set; } = 3600;

    /// <summary>In Production a missing <c>ConnectionStrings:llm</c> stops start-up unless this is true.</summary>
    public bool AllowOffline { get; set; }

    /// <summary>Timeout of one HTTP attempt to the LLM.</summary>
    [Range(1, 600)] public int AttemptTimeoutSeconds { get; set; } = 20;

    /// <summary>HTTP retries of one LLM call (after the first attempt).</summary>
    [Range(0, 10)] public int LlmRetries { get; set; } = 2;

    /// <summary>Upper bound on a server-requested wait (<c>Retry-After</c>, <c>retry-after-ms</c>).</summary>
    [Range(0, 600)] public int MaxRetryAfterSeconds { get; set; } = 10;

    /// <summary>How long the circuit stays open before a half-open probe.</summary>
    [Range(1, 3600)] public int CircuitBreakSeconds { get; set; } = 60;

    /// <summary>Consecutive failed LLM attempts (within <see cref="CircuitSamplingSeconds"/>) that open the circuit.</summary>
    [Range(2, 1000)] public int CircuitFailureThreshold { get; set; } = 5;

    /// <summary>The window in which the breaker counts failures.</summary>
    [Range(1, 3600)] public int CircuitSamplingSeconds { get; set; } = 30;

    /// <summary>LLM requests per second for all worker replicas together (shared through Redis).</summary>
    [Range(0.1, 100_000)] public double OutboundPermitsPerSecond { get; set; } = 10;

    /// <summary>The most tokens one LLM answer may have (the request's <c>max_completion_tokens</c>): a bound on what one
    /// call costs. Ten ideas take about 2,000; a longer answer is cut there, and then repaired or retried.</summary>
    [Range(256, 128_000)] public int MaxOutputTokens { get; set; } = 4096;

    /// <summary>Ask for a JSON schema (<c>response_format: json_schema</c>); false asks for plain JSON mode, for
    /// endpoints that only support <c>json_object</c>.</summary>
    public bool LlmJsonSchema { get; set; } = true;

    /// <summary>Claim loops: one per generation slot plus those claiming ahead.</summary>
    public int ClaimLoops => Concurrency + (ClaimAhead ?? (Concurrency + 3) / 4);

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
    public TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);
    public TimeSpan Poll => TimeSpan.FromSeconds(PollSeconds);
    public TimeSpan AttemptTimeout => TimeSpan.FromSeconds(AttemptTimeoutSeconds);

    /// <summary>The whole LLM call, retries and waits included.</summary>
    public TimeSpan LlmTotalTimeout =>
        TimeSpan.FromSeconds((AttemptTimeoutSeconds + MaxRetryAfterSeconds) * (LlmRetries + 1) + 5);
}
