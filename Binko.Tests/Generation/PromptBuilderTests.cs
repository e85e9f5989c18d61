using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.GenerationWorker.Generation;

namespace Binko.Tests.Generation;

public sealed class PromptBuilderTests
{
    private static GenerationContext Context(GenerationRequest request, IReadOnlyList<Idea>? catalog = null, params string[] shown) =>
        new(new Binko.Data.Entities.Generation { OwnerId = "user:a", Request = request.ToJson(), ContentHash = "h" },
            request, catalog ?? [], shown.ToHashSet());

    [Fact]
    public void Prompt_states_the_person_the_count_the_rules_and_the_catalog_matches()
    {
        var request = new GenerationRequest(
            new ProfileSnapshot(SkillLevel.Beginner, ["python", "sql"], ["music", "games"], 4, "get a data job"),
            5, new GenerationConstraints("data", 20, ["pandas"], ["java"]));
        var catalog = new Idea
        {
            Slug = "s", Title = "Playlist analyser", Summary = "Analyse your playlists.", Category = "data",
            Difficulty = SkillLevel.Beginner, Skills = ["python"], Tags = ["music"], EstimatedHours = 12,
        };

        var prompt = PromptBuilder.User(Context(request, [catalog], "old idea"));

        Assert.Contains("exactly 5 project ideas", prompt);
        Assert.Contains("\"experience_level\":\"beginner\"", prompt);
        Assert.Contains("\"skills\":[\"python\",\"sql\"]", prompt);
        Assert.Contains("\"interests\":[\"music\",\"games\"]", prompt);
        Assert.Contains("\"weekly_hours\":4", prompt);
        Assert.Contains("get a data job", prompt);
        Assert.Contains("difficulty must be one of: beginner, intermediate", prompt);
        Assert.Contains("at least one of the person's skills: python, sql", prompt);
        Assert.Contains("at most 20 hours", prompt);
        Assert.Contains("category: data", prompt);
        Assert.Contains("use these technologies: pandas", prompt);
        Assert.Contains("never use: java", prompt);
        Assert.Contains("already shown: old idea", prompt);
        Assert.Contains("- Playlist analyser (beginner, 12 h, skills: python): Analyse your playlists.", prompt);
        Assert.EndsWith(PromptBuilder.Shape, prompt);
    }

    [Fact]
    public void Prompt_without_constraints_or_skills_leaves_their_rules_out()
    {
        var request = new GenerationRequest(new ProfileSnapshot(SkillLevel.Advanced, [], [], 0, null), 1, GenerationConstraints.None);

        var prompt = PromptBuilder.User(Context(request));

        Assert.Contains("exactly 1 project ideas", prompt);
        Assert.Contains("difficulty must be one of: intermediate, advanced", prompt);
        Assert.DoesNotContain("person's skills", prompt);
        Assert.DoesNotContain("category:", prompt);
        Assert.DoesNotContain("never use", prompt);
        Assert.DoesNotContain("Catalog ideas", prompt);
        Assert.Contains("estimated_hours between 1 and 1000", prompt);
    }
}
