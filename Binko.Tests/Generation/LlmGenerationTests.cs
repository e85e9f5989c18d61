using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.FakeLlm;
using StackExchange.Redis;

namespace Binko.Tests.Generation;

public sealed class LlmGenerationTests(TestInfrastructure infrastructure)
{
    [Fact]
    public async Task Job_completes_with_the_LLM_ideas_token_usage_and_a_cache_entry()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.StartWorker();
        var request = GenerationJobs.Request(numIdeas: 3, skills: ["rust", "sql"], interests: ["astronomy"], weeklyHours: 6);

        var queued = await harness.EnqueueAsync(request);
        var job = await harness.FinishedAsync(queued.Id);

        Assert.Equal(GenerationStatus.Completed, job.Status);
        Assert.Equal("fake-model", job.Model);
        Assert.False(job.Degraded);
        Assert.Equal(3, job.Ideas.Count);
        Assert.All(job.Ideas, idea => Assert.StartsWith("Fake idea 1.", idea.Title));
        Assert.True(job.PromptTokens > 0);
        Assert.True(job.CompletionTokens > 0);

        var call = Assert.Single(harness.Llm!.Requests);
        Assert.Equal("fake-model", call.Model);
        Assert.Equal("json_schema", call.ResponseFormat);
        var prompt = call.Text("user");
        Assert.Contains("exactly 3", prompt);
        Assert.Contains("rust", prompt);
        Assert.Contains("astronomy", prompt);
        Assert.Contains("\"weekly_hours\":6", prompt);
        Assert.Contains("Catalog ideas that match them", prompt);

        var redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.Redis.GetConnectionString());
        await using var _ = redis;
        var cached = GenerationCache.Deserialize((await redis.GetDatabase().StringGetAsync(GenerationCache.Key(ServiceSettings.CachePrefix(harness.Database), queued.ContentHash))).ToString());
        Assert.Equal("fake-model", cached?.Model);
        Assert.Equal(3, cached?.Ideas.Count);
    }

    [Fact]
    public async Task Code_fenced_JSON_is_accepted_without_a_repair_call()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.Llm!.Enqueue(FakeLlmReply.CodeFenced());
        harness.StartWorker();

        var job = await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request(numIdeas: 2))).Id);

        Assert.Equal(GenerationStatus.Completed, job.Status);
        Assert.Equal(2, job.Ideas.Count);
        Assert.Equal(1, harness.Llm.CallCount);
    }

    [Fact]
    public async Task Broken_JSON_is_repaired_with_exactly_one_more_call()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.Llm!.Enqueue(FakeLlmReply.BrokenJson());
        harness.StartWorker();

        var job = await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request(numIdeas: 2))).Id);

        Assert.Equal(GenerationStatus.Completed, job.Status);
        Assert.False(job.Degraded);
        Assert.Equal(1, job.Attempts);
        Assert.Equal(2, job.Ideas.Count);
        Assert.Equal(2, harness.Llm.CallCount);
        var repair = harness.Llm.Requests[1];
        Assert.Contains("Return valid JSON for this schema", repair.Messages[^1].Content);
        Assert.Equal("assistant", repair.Messages[^2].Role);
    }

    [Fact]
    public async Task Ideas_that_break_the_rules_are_repaired_and_extras_trimmed()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        // First answer: right count, but no idea uses the person's skills. Second: one idea too many.
        harness.Llm!.Enqueue(
            FakeLlmReply.Content(FakeIdeas.Json(2, "cobol")),
            FakeLlmReply.Content(FakeIdeas.Json(3, "go")));
        harness.StartWorker();

        var job = await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request(numIdeas: 2, skills: ["go"]))).Id);

        Assert.Equal(GenerationStatus.Completed, job.Status);
        Assert.Equal(2, job.Ideas.Count);
        Assert.All(job.Ideas, idea => Assert.Contains("go", idea.Skills));
        Assert.Equal(2, harness.Llm.CallCount);
        Assert.Contains("none of the person's skills", harness.Llm.Requests[1].Messages[^1].Content);
    }
}
