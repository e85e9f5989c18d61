using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Binko.Data.Entities;

namespace Binko.Api.Models;

/// <summary>An idea as clients see it.</summary>
/// <remarks>Immutable: HybridCache hands the same instance to every reader instead of deserializing a copy on each hit.</remarks>
[ImmutableObject(true)]
public sealed record IdeaResponse(
    Guid Id,
    string Slug,
    string Title,
    string Summary,
    SkillLevel Difficulty,
    string Category,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Skills,
    int EstimatedHours,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    uint Version)
{
    public static IdeaResponse From(Idea idea) => new(idea.Id, idea.Slug, idea.Title, idea.Summary, idea.Difficulty,
        idea.Category, idea.Tags, idea.Skills, idea.EstimatedHours, idea.CreatedAt, idea.UpdatedAt, idea.Version);
}

/// <summary>One page of the catalog; <c>next_cursor</c> is null on the last page.</summary>
/// <remarks>Immutable: HybridCache hands the same instance to every reader instead of deserializing a copy on each hit.</remarks>
[ImmutableObject(true)]
public sealed record IdeaPage(IReadOnlyList<IdeaResponse> Items, string? NextCursor);

/// <summary>What an admin sends to create or replace an idea. The slug, id, timestamps and version are Binko's.</summary>
public sealed record IdeaRequest
{
    [Required, StringLength(120, MinimumLength = 3), SingleLine]
    public string? Title { get; init; }

    [Required, StringLength(2000, MinimumLength = 10), SingleLine]
    public string? Summary { get; init; }

    [Required]
    public SkillLevel? Difficulty { get; init; }

    [Required, StringLength(40, MinimumLength = 2), RegularExpression("^[a-z0-9-]+$", ErrorMessage = "Use lowercase letters, digits and '-'.")]
    public string? Category { get; init; }

    [MaxLength(10), ItemLength(40), SingleLine]
    public List<string>? Tags { get; init; }

    [MaxLength(20), ItemLength(40), SingleLine]
    public List<string>? Skills { get; init; }

    [Required, Range(1, 1000)]
    public int? EstimatedHours { get; init; }
}

/// <summary>Up to 100 ideas created in one transaction: all of them or none.</summary>
public sealed record BulkIdeasRequest
{
    [Required, MinLength(1), MaxLength(100)]
    public List<IdeaRequest>? Items { get; init; }
}

/// <summary>The ideas a bulk create stored, in request order.</summary>
public sealed record BulkIdeasResponse(IReadOnlyList<IdeaResponse> Items);
