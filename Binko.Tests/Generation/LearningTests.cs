using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Generation;

/// <summary>Binko learns from feedback: through the API, a real worker and the in-test LLM (or the offline generator).</summary>
public sealed class LearningTests(TestInfrastructure infrastructure)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task New_feedback_changes_the_next_prompt_and_keeps_the_person_out_of_the_response_cache()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.StartWorker();
        await using var api = new ApiFactory(harness.Settings());
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        using var other = api.CreateClient().WithToken(TestTokens.User(Unique("other")));
        var body = Body(Unique("skill"), numIdeas: 2);

        var first = await user.QueueAndWaitAsync("/api/v1/generations", body);
        var cached = await other.PostAsJsonAsync("/api/v1/generations", body, Ct);
        var liked = first.Ideas()[0];
        var rejected = first.Ideas()[1];
        await GiveFeedbackAsync(user, first, new { idea_id = liked.GetProperty("id").GetGuid(), approved = true, score = 9 });
        await GiveFeedbackAsync(user, first, new { idea_id = rejected.GetProperty("id").GetGuid(), approved = false });
        var afterFeedback = await user.QueueAndWaitAsync("/api/v1/generations", body);

        // Before feedback the result described no one: the identical request of someone else was a cache hit, without
        // a call to the LLM.
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.True((await cached.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("cached").GetBoolean());
        Assert.DoesNotContain("rated highly", harness.Llm!.Requests[0].Text("user"));

        // After it, the same request went to the LLM again, with what the feedback taught (never answered from the cache:
        // what feedback shapes is this person's alone).
        Assert.False(afterFeedback.GetProperty("cached").GetBoolean());
        Assert.Equal(2, harness.Llm.CallCount);
        var prompt = harness.Llm.Requests[1].Text("user");
        var likedSection = prompt.IndexOf("Ideas they rated highly", StringComparison.Ordinal);
        var rejectedSection = prompt.IndexOf("Ideas they rejected", StringComparison.Ordinal);
        Assert.True(likedSection > 0 && rejectedSection > likedSection, prompt);
        Assert.Contains($"- {Title(liked)} (", prompt[likedSection..rejectedSection]);
        Assert.Contains("scored 9/10", prompt[likedSection..rejectedSection]);
        Assert.Contains($"- {Title(rejected)} (", prompt[rejectedSection..]);
        // Novelty: both ideas were shown, so neither may come back.
        Assert.Contains(Title(liked).ToLowerInvariant(), prompt);
        Assert.DoesNotContain(afterFeedback.Ideas(), idea => first.Ideas().Any(shown => Title(shown) == Title(idea)));
    }

    [Fact]
    public async Task One_persons_feedback_never_reaches_another_persons_prompt()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.StartWorker();
        await using var api = new ApiFactory(harness.Settings());
        using var alice = api.CreateClient().WithToken(TestTokens.User(Unique("alice")));
        using var bob = api.CreateClient().WithToken(TestTokens.User(Unique("bob")));
        var skill = Unique("skill");

        var aliceFirst = await alice.QueueAndWaitAsync("/api/v1/generations", Body(skill, numIdeas: 1));
        await GiveFeedbackAsync(alice, aliceFirst, new { idea_id = aliceFirst.Ideas()[0].GetProperty("id").GetGuid(), score = 10 });
        await bob.QueueAndWaitAsync("/api/v1/generations", Body(skill, numIdeas: 2));

        var bobPrompt = harness.Llm!.Requests[^1].Text("user");
        Assert.DoesNotContain("rated highly", bobPrompt);
        Assert.DoesNotContain(Title(aliceFirst.Ideas()[0]).ToLowerInvariant(), bobPrompt.ToLowerInvariant());
    }

    [Fact]
    public async Task The_offline_generator_never_builds_on_the_catalog_idea_behind_a_rejected_one()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        harness.StartWorker();
        await using var api = new ApiFactory(harness.Settings());
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var body = Body("python", numIdeas: 1);

        var first = await user.QueueAndWaitAsync("/api/v1/generations", body);
        var firstIdea = first.Ideas()[0].GetProperty("id").GetGuid();
        await GiveFeedbackAsync(user, first, new { idea_id = firstIdea, approved = false, score = 1 });
        var second = await user.QueueAndWaitAsync("/api/v1/generations", body);

        await using var db = harness.Db();
        var rejectedSource = await db.GeneratedIdeas.Where(i => i.Id == firstIdea).Select(i => i.SourceIdeaId).SingleAsync(Ct);
        var secondIdea = second.Ideas()[0].GetProperty("id").GetGuid();
        var newSource = await db.GeneratedIdeas.Where(i => i.Id == secondIdea).Select(i => i.SourceIdeaId).SingleAsync(Ct);
        Assert.NotNull(rejectedSource);
        Assert.NotNull(newSource);
        Assert.NotEqual(rejectedSource, newSource);
    }

    private static object Body(string skill, int numIdeas) =>
        new { profile = new { experience_level = "beginner", skills = new[] { skill } }, num_ideas = numIdeas };

    private static string Title(JsonElement idea) => idea.GetProperty("title").GetString()!;

    private static async Task GiveFeedbackAsync(HttpClient client, JsonElement generation, object feedback)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/generations/{generation.GetProperty("id").GetGuid()}/feedback", feedback, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
