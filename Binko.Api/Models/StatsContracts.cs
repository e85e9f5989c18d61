using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Binko.Data.Entities;

namespace Binko.Api.Models;

/// <summary>The statistics' query string.</summary>
public sealed record StatsFilter
{
    /// <summary>Count only the ideas of this category.</summary>
    [StringLength(40, MinimumLength = 2), RegularExpression("^[a-z0-9-]+$", ErrorMessage = "Use lowercase letters, digits and '-'.")]
    public string? Category { get; init; }
}

/// <summary>
/// Learning statistics over completed generations and the feedback their owners gave (see
/// <see cref="Learning.LearningStatsQuery"/> for the definitions). <c>users</c> is present only in the admin view.
/// </summary>
/// <remarks>Immutable: HybridCache hands the same instance to every reader instead of deserializing a copy on each hit.</remarks>
[ImmutableObject(true)]
public sealed record LearningStatsResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Users,
    long Generations,
    long IdeasShown,
    long Feedback,
    double? ApprovalRate,
    double? MeanScore,
    IReadOnlyList<CategoryStats> ByCategory,
    IReadOnlyList<DifficultyStats> ByDifficulty,
    IReadOnlyList<DayStats> Trend);

/// <summary>The ideas of one category, in alphabetical order of category.</summary>
public sealed record CategoryStats(string Category, long IdeasShown, long Feedback, double? ApprovalRate, double? MeanScore);

/// <summary>The ideas of one difficulty, from beginner to advanced.</summary>
public sealed record DifficultyStats(SkillLevel Difficulty, long IdeasShown, long Feedback, double? ApprovalRate, double? MeanScore);

/// <summary>The ideas shown on one UTC day (zeros and nulls on a day without any).</summary>
public sealed record DayStats(DateOnly Date, long IdeasShown, long Feedback, double? ApprovalRate, double? MeanScore);
