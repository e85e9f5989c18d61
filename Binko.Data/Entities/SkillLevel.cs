namespace Binko.Data.Entities;

/// <summary>A person's experience level, and the difficulty of an idea: the same three steps.</summary>
public enum SkillLevel
{
    Beginner,
    Intermediate,
    Advanced,
}
