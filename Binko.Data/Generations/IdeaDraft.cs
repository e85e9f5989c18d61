using Binko.Data.Entities;

namespace Binko.Data.Generations;

/// <summary>One idea as a generator produced it, before it is stored as a <see cref="GeneratedIdea"/>.</summary>
public sealed record IdeaDraft(
    string Title,
    string Summary,
    SkillLevel Difficulty,
    string Category,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Skills,
    int EstimatedHours,
    Guid? SourceIdeaId = null)
{
    public GeneratedIdea ToEntity(Guid generationId, int position, Guid? refinedFromId = null) => new()
    {
        GenerationId = generationId,
        RefinedFromId = refinedFromId,
        Position = position,
        Title = Title,
        Summary = Summary,
        Difficulty = Difficulty,
        Category = Category,
        Tags = [.. Tags],
        Skills = [.. Skills],
        EstimatedHours = EstimatedHours,
        SourceIdeaId = SourceIdeaId,
    };

    public static IdeaDraft From(GeneratedIdea idea) =>
        new(idea.Title, idea.Summary, idea.Difficulty, idea.Category, idea.Tags, idea.Skills, idea.EstimatedHours, idea.SourceIdeaId);
}
