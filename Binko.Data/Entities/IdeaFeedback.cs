namespace Binko.Data.Entities;

/// <summary>A person's verdict on one generated idea; one per idea and user (a second one updates it).</summary>
public sealed class IdeaFeedback
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string UserId { get; set; }
    public Guid GeneratedIdeaId { get; set; }
    public bool? Approved { get; set; }

    /// <summary>0–10.</summary>
    public int? Score { get; set; }

    public string? Comment { get; set; }
    public bool Saved { get; set; }
    public bool Started { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}
