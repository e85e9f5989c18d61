using NpgsqlTypes;

namespace Binko.Data.Entities;

/// <summary>A curated source idea in the catalog.</summary>
public sealed class Idea
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public required string Title { get; set; }
    public required string Summary { get; set; }
    public SkillLevel Difficulty { get; set; }
    public required string Category { get; set; }
    public List<string> Tags { get; set; } = [];
    public List<string> Skills { get; set; } = [];
    public int EstimatedHours { get; set; }

    /// <summary>Weighted full-text document (title A, summary B), computed and stored by Postgres.</summary>
    public NpgsqlTsVector SearchVector { get; private set; } = null!;

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>Postgres' xmin: changes on every update, so a stale write is detected.</summary>
    public uint Version { get; set; }
}
