using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Api.Generations;
using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.Tests.Infrastructure;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Generation;

/// <summary>The response cache through the API and a real worker: what it holds describes no one, and a signed-in person
/// is never shown a title twice, by the cache or by a generator.</summary>
public sealed class ResponseCacheTests(TestInfrastructure infrastructure)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Feedback_given_while_a_job_waits_keeps_its_personal_result_out_of_the_shared_cache()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        await using var api = new ApiFactory(harness.Settings());
        using var alice = api.CreateClient().WithToken(TestTokens.User(Unique("alice")));
        using var bob = api.CreateClient().WithToken(TestTokens.User(Unique("bob")));
        var skill = Unique("skill");
        var body = Body(skill);

        // Alice has a finished generation to rate, then queues a request while she has no feedback: the API looks it up
        // under the key everyone without feedback shares, misses, and queues it.
        var rated = await QueueAsync(alice, Body(Unique("skill")));
        await using (var db = harness.Db())
            Assert.Equal(rated, await QueueDriver.CompleteNextAsync(db, cancellationToken: Ct));
        var queued = await QueueAsync(alice, body);
        // Before a worker claims it, she rates an idea: the worker will learn from it.
        var ideas = (await alice.GetFromJsonAsync<JsonElement>($"/api/v1/generations/{rated}", Ct)).Ideas();
        var feedback = await alice.PostAsJsonAsync($"/api/v1/generations/{rated}/feedback",
            new { idea_id = ideas[0].GetProperty("id").GetGuid(), score = 9 }, Ct);
        Assert.Equal(HttpStatusCode.Created, feedback.StatusCode);
        harness.StartWorker();
        var personal = await alice.FinishedAsync($"/api/v1/generations/{queued}");

        // Her result was made with what she liked...
        Assert.Contains("rated highly", harness.Llm!.Requests[0].Text("user"));
        Assert.False(personal.GetProperty("degraded").GetBoolean());
        // ...so it is hers alone: not under the shared key, and Bob's identical request is generated for him.
        Assert.False((await infrastructure.RedisClient.GetDatabase().StringGetAsync(CacheKey(harness, skill))).HasValue);
        var fromBob = await bob.PostAsJsonAsync("/api/v1/generations", body, Ct);
        Assert.Equal(HttpStatusCode.Accepted, fromBob.StatusCode);
    }

    [Fact]
    public async Task A_signed_in_person_asking_again_gets_new_ideas_while_others_are_served_the_cached_ones()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.StartWorker();
        await using var api = new ApiFactory(harness.Settings());
        using var alice = api.CreateClient().WithToken(TestTokens.User(Unique("alice")));
        using var bob = api.CreateClient().WithToken(TestTokens.User(Unique("bob")));
        var body = Body(Unique("skill"));

        var first = await alice.QueueAndWaitAsync("/api/v1/generations", body);
        var again = await alice.QueueAndWaitAsync("/api/v1/generations", body);
        var fromBob = await bob.PostAsJsonAsync("/api/v1/generations", body, Ct);

        // Her second request went to the LLM again, told her earlier titles, and none came back.
        Assert.Equal(2, harness.Llm!.CallCount);
        Assert.False(again.GetProperty("cached").GetBoolean());
        Assert.Empty(Titles(again).Intersect(Titles(first)));
        foreach (var title in Titles(first))
            Assert.Contains(title.ToLowerInvariant(), harness.Llm.Requests[1].Text("user"));
        // Bob had seen none of them: the cache answers him at once with the latest result.
        Assert.Equal(HttpStatusCode.OK, fromBob.StatusCode);
        var cached = await fromBob.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(cached.GetProperty("cached").GetBoolean());
        Assert.Equal(Titles(again), Titles(cached));
    }

    [Fact]
    public async Task The_offline_generator_never_repeats_a_title_to_the_same_person()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        harness.StartWorker();
        var owner = $"user:{Unique("user")}";
        var request = GenerationJobs.Request(numIdeas: 6, skills: ["python"], interests: ["music"]);

        var shown = new List<string>();
        for (var n = 0; n < 3; n++)
        {
            var job = await harness.FinishedAsync((await harness.EnqueueAsync(request, owner)).Id);
            var titles = job.Ideas.Select(i => i.Title).ToList();
            Assert.Equal(6, titles.Count);
            Assert.Empty(titles.Intersect(shown, StringComparer.OrdinalIgnoreCase));
            shown.AddRange(titles);
        }
        // Another person gets the same ideas for the same request: the generator is still deterministic.
        var other = await harness.FinishedAsync((await harness.EnqueueAsync(request)).Id);
        Assert.Equal(shown.Take(6), other.Ideas.OrderBy(i => i.Position).Select(i => i.Title));
    }

    private static object Body(string skill) =>
        new { profile = new { experience_level = "beginner", skills = new[] { skill } }, num_ideas = 2 };

    private static async Task<Guid> QueueAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/generations", body, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    /// <summary>The shared response-cache key of <see cref="Body"/> with <paramref name="skill"/>, as the API computes it.</summary>
    private static string CacheKey(WorkerHarness harness, string skill) => GenerationCache.Key(ServiceSettings.CachePrefix(harness.Database),
        GenerationRequests.Normalize(new ProfileSnapshot(SkillLevel.Beginner, [skill], [], 0, null), 2, null).ContentHash(harness.Model));

    private static List<string> Titles(JsonElement generation) =>
        [.. generation.Ideas().Select(idea => idea.GetProperty("title").GetString()!)];
}
