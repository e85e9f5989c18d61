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

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    public List<GeneratedIdea> Ideas { get; set; } = [];
}
