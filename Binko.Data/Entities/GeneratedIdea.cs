namespace Binko.Data.Entities;

/// <summary>One idea a generation produced for a person.</summary>
public sealed class GeneratedIdea
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid GenerationId { get; set; }

    /// <summary>Place in the batch; unique per generation, so a job's ideas can only be stored once.</summary>
    public int Position { get; set; }

    public required string Title { get; set; }
    public required string Summary { get; set; }
    public SkillLevel Difficulty { get; set; }
    public required string Category { get; set; }
    public List<string> Tags { get; set; } = [];
    public List<string> Skills { get; set; } = [];
    public int EstimatedHours { get; set; }

    /// <summary>The catalog idea it was drawn from, if any.</summary>
    public Guid? SourceIdeaId { get; set; }

    /// <summary>The earlier version this one refines, if any.</summary>
    public Guid? RefinedFromId { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
