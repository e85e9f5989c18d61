namespace Binko.Data.Entities;

/// <summary>What a person told Binko about themselves; one per user.</summary>
public sealed class Profile
{
    public required string UserId { get; set; }
    public SkillLevel ExperienceLevel { get; set; }
    public List<string> Skills { get; set; } = [];
    public List<string> Interests { get; set; } = [];
    public int WeeklyHours { get; set; }
    public string? Goals { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
    public uint Version { get; set; }
}
