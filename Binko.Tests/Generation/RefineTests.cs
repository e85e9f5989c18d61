using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.Tests.Infrastructure;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Generation;

/// <summary>Refining one idea: a new version through the same queue and quota, linked to the original.</summary>
public sealed class RefineTests(TestInfrastructure infrastructure)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Offline_refinement_makes_a_linked_smaller_version_in_the_requested_technology_and_spends_a_unit()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        harness.StartWorker();
        await using var api = new ApiFactory(harness.Settings());
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var generation = await user.QueueAndWaitAsync("/api/v1/generations", Body(numIdeas: 2));
        var original = generation.Ideas()[1];

        var refined = await user.QueueAndWaitAsync(RefineUrl(generation, original), new { instruction = "Make it smaller and use Rust." });

        Assert.Equal("completed", refined.GetProperty("status").GetString());
        Assert.Equal("binko-offline", refined.GetProperty("model").GetString());
        Assert.Equal(1, refined.GetProperty("num_ideas").GetInt32());
        var idea = Assert.Single(refined.Ideas());
        Assert.Equal(original.GetProperty("id").GetGuid(), idea.GetProperty("refined_from_id").GetGuid());
        Assert.NotEqual(original.GetProperty("id").GetGuid(), idea.GetProperty("id").GetGuid());
        Assert.Equal($"{original.GetProperty("title").GetString()} (revised)", idea.GetProperty("title").GetString());
        Assert.Equal(Math.Max(1, original.GetProperty("estimated_hours").GetInt32() / 2), idea.GetProperty("estimated_hours").GetInt32());
        Assert.Equal("rust", idea.GetProperty("skills")[0].GetString());
        Assert.EndsWith("Revised to make it smaller and use Rust.", idea.GetProperty("summary").GetString());
        Assert.Equal(JsonValueKind.Null, generation.Ideas()[0].GetProperty("refined_from_id").ValueKind);

        var quota = await user.GetFromJsonAsync<JsonElement>("/api/v1/me/quota", Ct);
        Assert.Equal(2, quota.GetProperty("used").GetInt32());
    }

    [Fact]
    public async Task The_LLM_gets_the_idea_and_the_instruction_and_refinements_are_never_served_from_the_cache()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.StartWorker();
        await using var api = new ApiFactory(harness.Settings());
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var generation = await user.QueueAndWaitAsync("/api/v1/generations", Body(numIdeas: 1));
        var original = generation.Ideas()[0];
        var instruction = new { instruction = "Add a mobile client" };

        var first = await user.QueueAndWaitAsync(RefineUrl(generation, original), instruction);
        var second = await user.QueueAndWaitAsync(RefineUrl(generation, original), instruction);

        Assert.Equal(3, harness.Llm!.CallCount);
        var prompt = harness.Llm.Requests[1].Text("user");
        Assert.Contains("Refine one project idea", prompt);
        Assert.Contains($"\"title\":\"{original.GetProperty("title").GetString()}\"", prompt);
        Assert.Contains("\"Add a mobile client\"", prompt);
        Assert.NotEqual(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
        Assert.All([first, second], refined =>
        {
            Assert.False(refined.GetProperty("cached").GetBoolean());
            Assert.Equal("fake-model", refined.GetProperty("model").GetString());
            Assert.Equal(original.GetProperty("id").GetGuid(), Assert.Single(refined.Ideas()).GetProperty("refined_from_id").GetGuid());
        });
    }

    [Fact]
    public async Task Only_the_owner_can_refine_an_idea_of_that_generation_and_bad_instructions_are_400()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        harness.StartWorker();
        await using var api = new ApiFactory(harness.Settings());
        using var alice = api.CreateClient().WithToken(TestTokens.User(Unique("alice")));
        using var bob = api.CreateClient().WithToken(TestTokens.User(Unique("bob")));
        using var guest = api.CreateClient();
        var aliceGeneration = await alice.QueueAndWaitAsync("/api/v1/generations", Body(numIdeas: 1));
        var aliceOther = await alice.QueueAndWaitAsync("/api/v1/generations", Body(numIdeas: 2));
        var guestGeneration = await guest.QueueAndWaitAsync("/api/v1/generations", Body(numIdeas: 3));
        var idea = aliceGeneration.Ideas()[0];
        var instruction = new { instruction = "Use Go" };

        await AssertProblemAsync(await bob.PostAsJsonAsync(RefineUrl(aliceGeneration, idea), instruction, Ct), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await guest.PostAsJsonAsync(RefineUrl(aliceGeneration, idea), instruction, Ct), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await alice.PostAsJsonAsync(RefineUrl(aliceOther, idea), instruction, Ct), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await alice.PostAsJsonAsync(RefineUrl(aliceGeneration, idea), new { instruction = "ab" }, Ct),
            HttpStatusCode.BadRequest, "validation_failed", "instruction");
        await AssertProblemAsync(await alice.PostAsJsonAsync(RefineUrl(aliceGeneration, idea), new { }, Ct),
            HttpStatusCode.BadRequest, "validation_failed", "instruction");
        await AssertProblemAsync(await alice.PostAsJsonAsync(RefineUrl(aliceGeneration, idea), new { instruction = new string('x', 501) }, Ct),
            HttpStatusCode.BadRequest, "validation_failed", "instruction");

        // Guests own their generations too, so they may refine them.
        var guestRefined = await guest.QueueAndWaitAsync(RefineUrl(guestGeneration, guestGeneration.Ideas()[0]), instruction);
        Assert.Equal("completed", guestRefined.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_refinement_whose_idea_is_gone_fails_and_a_job_whose_kind_disagrees_with_its_request_is_invalid()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        harness.StartWorker();
        var refinement = GenerationJobs.Request(numIdeas: 1) with { Refinement = new RefinementRequest(Guid.NewGuid(), "Use Go") };

        var missing = await harness.FinishedAsync((await harness.EnqueueAsync(refinement)).Id);
        var mismatched = await harness.FinishedAsync(
            (await harness.EnqueueAsync(GenerationJobs.Request(numIdeas: 1), rawRequest: refinement.ToJson())).Id);

        Assert.Equal(GenerationStatus.Failed, missing.Status);
        Assert.Equal("idea_not_found", missing.ErrorCode);
        Assert.Equal(GenerationStatus.Failed, mismatched.Status);
        Assert.Equal("invalid_request", mismatched.ErrorCode);
    }

    private static object Body(int numIdeas) =>
        new { profile = new { experience_level = "beginner", skills = new[] { "python" }, weekly_hours = 10 }, num_ideas = numIdeas };

    private static string RefineUrl(JsonElement generation, JsonElement idea) =>
        $"/api/v1/generations/{generation.GetProperty("id").GetGuid()}/ideas/{idea.GetProperty("id").GetGuid()}/refine";
}
