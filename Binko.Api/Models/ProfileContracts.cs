using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Binko.Data.Entities;

namespace Binko.Api.Models;

/// <summary>The caller's profile.</summary>
/// <remarks>Immutable: HybridCache hands the same instance to every reader instead of deserializing a copy on each hit.</remarks>
[ImmutableObject(true)]
public sealed record ProfileResponse(
    SkillLevel ExperienceLevel,
    IReadOnlyList<string> Skills,
    IReadOnlyList<string> Interests,
    int WeeklyHours,
    string? Goals,
    DateTimeOffset UpdatedAt,
    uint Version)
{
    public static ProfileResponse From(Profile profile) => new(profile.ExperienceLevel, profile.Skills, profile.Interests,
        profile.WeeklyHours, profile.Goals, profile.UpdatedAt, profile.Version);
}

/// <summary>The whole profile, as the caller wants it to be.</summary>
public sealed record ProfileRequest
{
    [Required]
    public SkillLevel? ExperienceLevel { get; init; }

    [MaxLength(20), ItemLength(40), SingleLine]
    public List<string>? Skills { get; init; }

    [MaxLength(20), ItemLength(40), SingleLine]
    public List<string>? Interests { get; init; }

    [Required, Range(0, 168)]
    public int? WeeklyHours { get; init; }

    [StringLength(2000)]
    public string? Goals { get; init; }
}
