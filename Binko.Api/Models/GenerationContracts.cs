using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Binko.Data.Entities;

namespace Binko.Api.Models;

/// <summary>Queue a generation: a profile inline (or the caller's saved one), how many ideas, optional constraints.</summary>
public sealed record GenerationCreateRequest
{
    public GenerationProfileInput? Profile { get; init; }

    [Required, Range(1, 10)]
    public int? NumIdeas { get; init; }

    public GenerationConstraintsInput? Constraints { get; init; }
}

/// <summary>Who the ideas are for. Only <c>experience_level</c> is required (Binko.ai's original contract).</summary>
public sealed record GenerationProfileInput
{
    [Required]
    public SkillLevel? ExperienceLevel { get; init; }

    [MaxLength(20), ItemLength(40), SingleLine]
    public List<string>? Skills { get; init; }

    [MaxLength(20), ItemLength(40), SingleLine]
    public List<string>? Interests { get; init; }

    [Range(0, 168)]
    public int? WeeklyHours { get; init; }

    [StringLength(2000)]
    public string? Goals { get; init; }
}

public sealed record GenerationConstraintsInput
{
    [StringLength(40, MinimumLength = 2), RegularExpression("^[a-z0-9-]+$", ErrorMessage = "Use lowercase letters, digits and '-'.")]
    public string? Category { get; init; }

    [Range(1, 1000)]
    public int? MaxHours { get; init; }

    [MaxLength(10), ItemLength(40), SingleLine]
    public List<string>? UseTechnologies { get; init; }

    [MaxLength(10), ItemLength(40), SingleLine]
    public List<string>? AvoidTechnologies { get; init; }
}

/// <summary>A generation as clients see it; <c>ideas</c> is empty until it completes. A refinement is a generation of
/// one idea whose <c>refined_from_id</c> names the idea it revises.</summary>
public sealed record GenerationResponse(
    Guid Id,
    GenerationStatus Status,
    int NumIdeas,
    IReadOnlyList<GeneratedIdeaResponse> Ideas,
    string? Model,
    bool Degraded,
    bool Cached,
    string? ErrorCode,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt)
{
    public static GenerationResponse From(Generation generation) => new(generation.Id, generation.Status, generation.NumIdeas,
        [.. generation.Ideas.OrderBy(i => i.Position).Select(GeneratedIdeaResponse.From)], generation.Model,
        generation.Degraded, generation.Cached, generation.ErrorCode, generation.CreatedAt, generation.CompletedAt);

    [JsonIgnore]
    public bool IsFinished => Status is GenerationStatus.Completed or GenerationStatus.Failed;
}

public sealed record GeneratedIdeaResponse(
    Guid Id,
    string Title,
    string Summary,
    SkillLevel Difficulty,
    string Category,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Skills,
    int EstimatedHours,
    Guid? RefinedFromId)
{
    public static GeneratedIdeaResponse From(GeneratedIdea idea) => new(idea.Id, idea.Title, idea.Summary, idea.Difficulty,
        idea.Category, idea.Tags, idea.Skills, idea.EstimatedHours, idea.RefinedFromId);
}

/// <summary>The caller's generations, newest first; <c>next_cursor</c> is null on the last page.</summary>
public sealed record GenerationPage(IReadOnlyList<GenerationResponse> Items, string? NextCursor);

/// <summary>Today's generation allowance.</summary>
public sealed record QuotaResponse(string Plan, int Used, int Limit, int Remaining, DateTimeOffset ResetsAt);
