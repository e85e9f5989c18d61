using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.GenerationWorker.Generation;

namespace Binko.Tests.Generation;

public sealed class PromptBuilderTests
{
    private static GenerationContext Context(GenerationRequest request, IReadOnlyList<Idea>? catalog = null, params string[] shown) =>
        new(new Binko.Data.Entities.Generation { OwnerId = "user:a", Request = request.ToJson(), ContentHash = "h" },
            request, catalog ?? [], shown.ToHashSet(), LearningSignals.None);

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

    [Fact]
    public void Prompt_shows_liked_ideas_as_examples_and_steers_away_from_rejected_ones()
    {
        var request = new GenerationRequest(new ProfileSnapshot(SkillLevel.Beginner, ["python"], [], 0, null), 2, GenerationConstraints.None);
        var learning = new LearningSignals(
            [new RatedIdea("Garden planner", "home", ["plants"], Approved: true, Score: 9, null),
             new RatedIdea("Recipe box", "food", [], Approved: true, Score: null, null)],
            [new RatedIdea("Crypto bot", "finance", ["trading"], Approved: false, Score: null, null)]);

        var prompt = PromptBuilder.User(Context(request) with { Learning = learning });

        var liked = prompt.IndexOf("Ideas they rated highly", StringComparison.Ordinal);
        var rejected = prompt.IndexOf("Ideas they rejected", StringComparison.Ordinal);
        Assert.True(liked > 0 && rejected > liked, prompt);
        Assert.Contains("- Garden planner (home; tags: plants), scored 9/10", prompt[liked..rejected]);
        Assert.Contains("- Recipe box (food), approved", prompt[liked..rejected]);
        Assert.Contains("- Crypto bot (finance; tags: trading)", prompt[rejected..]);
    }

    [Fact]
    public void Prompt_without_feedback_has_no_learning_section()
    {
        var request = new GenerationRequest(new ProfileSnapshot(SkillLevel.Beginner, [], [], 0, null), 1, GenerationConstraints.None);

        var prompt = PromptBuilder.User(Context(request));

        Assert.DoesNotContain("rated highly", prompt);
        Assert.DoesNotContain("rejected", prompt);
    }

    [Fact]
    public void A_refinement_prompt_carries_the_idea_the_instruction_and_the_rules()
    {
        var request = new GenerationRequest(new ProfileSnapshot(SkillLevel.Beginner, ["python"], [], 2, null), 1,
            GenerationConstraints.None, new RefinementRequest(Guid.NewGuid(), "Use Rust \"please\""));
        var original = new GeneratedIdea
        {
            Title = "Habit tracker", Summary = "Track habits.", Category = "web", Difficulty = SkillLevel.Beginner,
            Skills = ["python"], Tags = ["habits"], EstimatedHours = 20,
        };

        var prompt = PromptBuilder.User(Context(request) with { Original = original });

        Assert.Contains("Refine one project idea", prompt);
        Assert.Contains("exactly 1 idea", prompt);
        Assert.Contains("\"title\":\"Habit tracker\"", prompt);
        Assert.Contains("\"estimated_hours\":20", prompt);
        Assert.Contains("\"Use Rust \\u0022please\\u0022\"", prompt);
        Assert.Contains("estimated_hours between 1 and 52", prompt);
        Assert.DoesNotContain("Catalog ideas", prompt);
        Assert.EndsWith(PromptBuilder.Shape, prompt);
    }
}
