namespace Binko.Data.Entities;

/// <summary>
/// A generation request and the durable job that fulfils it: the row is the queue entry, claimed by a
/// worker under a lease, and holds the outcome.
/// </summary>
public sealed class Generation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>"user:&lt;sub&gt;" or "guest:&lt;client&gt;": who may see it.</summary>
    public required string OwnerId { get; set; }

    /// <summary>The owner's plan when the job was queued (<see cref="Quotas.Plans"/>): whose daily LLM-call budget
    /// it spends. Null for jobs queued before it was stored.</summary>
    public string? Plan { get; set; }

    public GenerationKind Kind { get; set; }
    public GenerationStatus Status { get; set; }
    public int NumIdeas { get; set; }

    /// <summary>The normalised request (profile snapshot and constraints) as JSON.</summary>
    public required string Request { get; set; }

    /// <summary>Hash of everything that determines the output; the response cache key.</summary>
    public required string ContentHash { get; set; }

    public Guid? RefinesIdeaId { get; set; }
    public string? Model { get; set; }
    public bool Degraded { get; set; }
    public bool Cached { get; set; }
    public string? ErrorCode { get; set; }
    public int? PromptTokens { get; set; }
    public int? CompletionTokens { get; set; }

    /// <summary>The UTC day whose quota unit this job holds, so a failure refunds the right day.</summary>
    public DateOnly? QuotaDay { get; set; }

    public int Attempts { get; set; }

    /// <summary>Not claimable before this time (retry back-off).</summary>
    public DateTimeOffset AvailableAt { get; set; } = DateTimeOffset.UtcNow;

    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>The fencing token of the current claim: new at every claim, required by every later write of the job
    /// (heartbeat, complete, fail, retry, put back), so a claim that lost its lease changes nothing, even when the
    /// new claim is by the same worker. Null while no claim holds the job.</summary>
    public Guid? LeaseToken { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>W3C <c>traceparent</c> of the request that queued the job: each attempt at it continues that trace.
    /// Null for jobs queued without one (before it was stored, or with tracing off).</summary>
    public string? TraceParent { get; set; }

    /// <summary>W3C <c>tracestate</c> that came with <see cref="TraceParent"/>, if any.</summary>
    public string? TraceState { get; set; }

    public List<GeneratedIdea> Ideas { get; set; } = [];
}
