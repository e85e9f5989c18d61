using Binko.Data.Entities;

namespace Binko.GenerationWorker.Generation;

/// <summary>Which idea difficulties fit a person's level: their own and the step next to it, never two steps away
/// (a beginner gets beginner or intermediate ideas, an advanced person intermediate or advanced ones).</summary>
public static class Difficulty
{
    public static IReadOnlyList<SkillLevel> Allowed(SkillLevel level) => level switch
    {
        SkillLevel.Beginner => [SkillLevel.Beginner, SkillLevel.Intermediate],
        SkillLevel.Advanced => [SkillLevel.Intermediate, SkillLevel.Advanced],
        _ => [SkillLevel.Beginner, SkillLevel.Intermediate, SkillLevel.Advanced],
    };

    public static bool Fits(SkillLevel level, SkillLevel difficulty) => Allowed(level).Contains(difficulty);

    /// <summary>The nearest difficulty that fits the level.</summary>
    public static SkillLevel Clamp(SkillLevel level, SkillLevel difficulty) =>
        Fits(level, difficulty) ? difficulty : (SkillLevel)Math.Clamp((int)difficulty, (int)Allowed(level)[0], (int)Allowed(level)[^1]);

    public static string Name(SkillLevel level) => level.ToString().ToLowerInvariant();

    public static SkillLevel? Parse(string? text) =>
        Enum.TryParse<SkillLevel>(text?.Trim(), ignoreCase: true, out var level) && Enum.IsDefined(level) ? level : null;
}
