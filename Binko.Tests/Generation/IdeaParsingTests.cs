using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.GenerationWorker.Generation;

namespace Binko.Tests.Generation;

public sealed class IdeaParsingTests
{
    [Fact]
    public void Lenient_parsing_takes_fenced_JSON_with_extra_fields_and_numbers_as_strings()
    {
        var (ideas, problem) = IdeaJson.Parse("""
            Sure! Here you go:
            ```json
            {"ideas": [{"title": "A", "summary": "S", "difficulty": "Beginner", "tags": "x, y", "skills": ["Python"],
                        "estimated_hours": "12 hours", "mood": "happy"},],
             "note": "extra"}
            ```
            """);

        Assert.Null(problem);
        var idea = Assert.Single(ideas!);
        Assert.Equal(("A", "S", "Beginner", 12), (idea.Title, idea.Summary, idea.Difficulty, idea.EstimatedHours));
        Assert.Equal(["x", "y"], idea.Tags);
        Assert.Equal(["Python"], idea.Skills);
    }

    [Theory]
    [InlineData("no json at all")]
    [InlineData("{\"ideas\": [{\"title\": \"cut")]
    [InlineData("{\"items\": []}")]
    public void Unusable_answers_are_reported(string text)
    {
        var (ideas, problem) = IdeaJson.Parse(text);

        Assert.Null(ideas);
        Assert.NotNull(problem);
    }

    [Fact]
    public void Validation_clamps_difficulty_drops_rule_breakers_and_duplicates_and_trims_extras()
    {
        var request = new GenerationRequest(new ProfileSnapshot(SkillLevel.Beginner, ["python"], [], 2, null), 2,
            new GenerationConstraints("web", 30, [], ["php"]));
        var context = new GenerationContext(
            new Binko.Data.Entities.Generation { OwnerId = "user:a", Request = "{}", ContentHash = "h" },
            request, [], new HashSet<string> { "seen before" }, LearningSignals.None);
        RawIdea Idea(string title, string difficulty = "beginner", string skill = "python", int hours = 10) =>
            new(title, "summary", difficulty, [], [skill], hours, null);

        var (ideas, problems) = IdeaValidator.Validate(context,
        [
            Idea("Seen before"),            // already shown
            Idea("Too big", hours: 31),     // over max_hours
            Idea("Wrong skill", skill: "go"),
            Idea("Avoided", skill: "php"),
            Idea("Hard one", difficulty: "advanced"),
            Idea("hard ONE"),               // duplicate title
            Idea("Fine"),
            Idea("Extra"),
        ]);

        Assert.Empty(problems);
        Assert.Equal(["Hard one", "Fine"], ideas.Select(i => i.Title));
        Assert.Equal(SkillLevel.Intermediate, ideas[0].Difficulty);
        Assert.All(ideas, i => Assert.Equal("web", i.Category));
    }

    [Fact]
    public void Too_few_valid_ideas_is_a_problem()
    {
        var request = new GenerationRequest(new ProfileSnapshot(SkillLevel.Beginner, [], [], 0, null), 3, GenerationConstraints.None);
        var context = new GenerationContext(
            new Binko.Data.Entities.Generation { OwnerId = "user:a", Request = "{}", ContentHash = "h" }, request, [], new HashSet<string>(), LearningSignals.None);

        var (_, problems) = IdeaValidator.Validate(context, [new RawIdea("One", "s", "beginner", [], [], 5, null)]);

        Assert.Contains("1 valid idea(s), exactly 3 are required", problems);
    }
}
