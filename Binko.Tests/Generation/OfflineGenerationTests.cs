using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.Data.Quotas;
using Binko.Tests.Infrastructure;
using StackExchange.Redis;

namespace Binko.Tests.Generation;

public sealed class OfflineGenerationTests(TestInfrastructure infrastructure)
{
    [Fact]
    public async Task Queued_job_completes_offline_with_the_requested_ideas_and_is_cached()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        harness.StartWorker();
        var request = GenerationJobs.Request(numIdeas: 4, skills: ["python", "sql"], interests: ["music"]);

        var queued = await harness.EnqueueAsync(request);
        var job = await harness.FinishedAsync(queued.Id);

        Assert.Equal(GenerationStatus.Completed, job.Status);
        Assert.Equal(LlmConnection.OfflineModel, job.Model);
        Assert.False(job.Degraded);
        Assert.Equal(1, job.Attempts);
        Assert.Equal(4, job.Ideas.Count);
        Assert.Equal([0, 1, 2, 3], job.Ideas.Select(i => i.Position).Order());
        Assert.Equal(4, job.Ideas.Select(i => i.Title).Distinct().Count());
        Assert.All(job.Ideas, idea =>
        {
            Assert.Contains(idea.Skills, s => s is "python" or "sql");
            Assert.Contains(idea.Difficulty, new[] { SkillLevel.Beginner, SkillLevel.Intermediate });
            Assert.NotNull(idea.SourceIdeaId);
        });
        Assert.Contains(job.Ideas, idea => idea.Title.Contains("Music", StringComparison.OrdinalIgnoreCase));

        var redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.Redis.GetConnectionString());
        await using var _ = redis;
        var cached = await redis.GetDatabase().StringGetAsync(GenerationCache.Key(ServiceSettings.CachePrefix(harness.Database), queued.ContentHash));
        Assert.True(cached.HasValue, "the result was not cached");
        var entry = GenerationCache.Deserialize(cached.ToString())!;
        Assert.Equal(LlmConnection.OfflineModel, entry.Model);
        Assert.Equal(job.Ideas.OrderBy(i => i.Position).Select(i => i.Title), entry.Ideas.Select(i => i.Title));
    }

    [Fact]
    public async Task Offline_generator_is_deterministic_and_honours_constraints()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        harness.StartWorker();
        var request = GenerationJobs.Request(numIdeas: 10, level: SkillLevel.Advanced, skills: ["go"], interests: ["games"],
            constraints: new GenerationConstraints("web", 30, [], ["javascript"]));

        var first = await harness.FinishedAsync((await harness.EnqueueAsync(request)).Id);
        var second = await harness.FinishedAsync((await harness.EnqueueAsync(request)).Id);

        Assert.Equal(10, first.Ideas.Count);
        Assert.Equal(first.Ideas.OrderBy(i => i.Position).Select(i => (i.Title, i.Summary)),
            second.Ideas.OrderBy(i => i.Position).Select(i => (i.Title, i.Summary)));
        Assert.All(first.Ideas, idea =>
        {
            Assert.Equal("web", idea.Category);
            Assert.InRange(idea.EstimatedHours, 1, 30);
            Assert.DoesNotContain("javascript", idea.Skills);
            Assert.Contains("go", idea.Skills);
            Assert.NotEqual(SkillLevel.Beginner, idea.Difficulty);
        });
        Assert.Equal(10, first.Ideas.Select(i => i.Title).Distinct().Count());
    }

    [Fact]
    public async Task Job_with_an_unreadable_request_fails_with_an_error_code_and_is_refunded()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        var owner = $"guest:{Guid.NewGuid():N}";
        var day = QuotaLedger.Today(TimeProvider.System);
        await using (var db = harness.Db())
            await QuotaLedger.TryReserveAsync(db, owner, day, 5, CancellationToken.None);
        harness.StartWorker();

        var queued = await harness.EnqueueAsync(GenerationJobs.Request(), owner, day, rawRequest: """{"profile": "nonsense"}""");
        var job = await harness.FinishedAsync(queued.Id);

        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.Equal("invalid_request", job.ErrorCode);
        Assert.Empty(job.Ideas);
        await using var check = harness.Db();
        Assert.Equal(0, await QuotaLedger.UsedAsync(check, owner, day, CancellationToken.None));
    }
}
