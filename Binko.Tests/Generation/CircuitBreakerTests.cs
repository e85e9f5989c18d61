using Binko.Data.Entities;
using Binko.Data.Quotas;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.FakeLlm;

namespace Binko.Tests.Generation;

public sealed class CircuitBreakerTests(TestInfrastructure infrastructure)
{
    [Fact]
    public async Task Five_failures_open_the_circuit_and_the_next_job_degrades_with_its_quota_refunded()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        var llm = harness.Llm!;
        llm.Enqueue([.. Enumerable.Repeat(FakeLlmReply.Status(500), 5)]); // then healthy again: the open circuit hides it
        var owner = $"user:{Guid.NewGuid():N}";
        var day = QuotaLedger.Today(TimeProvider.System);
        await using (var db = harness.Db())
        {
            await QuotaLedger.TryReserveAsync(db, owner, day, 10, CancellationToken.None);
            await QuotaLedger.TryReserveAsync(db, owner, day, 10, CancellationToken.None);
        }
        var worker = harness.StartWorker(new Dictionary<string, string?>
        {
            ["Generation:LlmRetries"] = "2",
            ["Generation:MaxAttempts"] = "3",
            ["Generation:CircuitFailureThreshold"] = "5",
        });

        // 3 failed calls on the first attempt, 2 on the second: the fifth opens the circuit, and that attempt degrades.
        var first = await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request(), owner, day)).Id);
        var second = await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request(), owner, day)).Id);

        Assert.Equal(5, llm.CallCount);
        foreach (var job in new[] { first, second })
        {
            Assert.Equal(GenerationStatus.Completed, job.Status);
            Assert.True(job.Degraded);
            Assert.Equal("binko-catalog", job.Model);
            Assert.Equal(job.NumIdeas, job.Ideas.Count);
            Assert.All(job.Ideas, idea => Assert.NotNull(idea.SourceIdeaId));
        }
        Assert.Equal(2, first.Attempts);
        Assert.Equal(1, second.Attempts);
        await using (var db = harness.Db())
            Assert.Equal(0, await QuotaLedger.UsedAsync(db, owner, day, CancellationToken.None));
        Assert.Equal("Degraded", (await WorkerHarness.HealthAsync(worker))["llm-circuit"]);
    }
}
