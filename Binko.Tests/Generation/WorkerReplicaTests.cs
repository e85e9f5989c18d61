using Binko.Data.Entities;
using Binko.Tests.Infrastructure;

namespace Binko.Tests.Generation;

public sealed class WorkerReplicaTests(TestInfrastructure infrastructure)
{
    [Fact]
    public async Task Two_replicas_share_the_queue_and_never_run_the_same_job()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.Llm!.Latency = TimeSpan.FromMilliseconds(50);
        harness.StartWorker();
        harness.StartWorker();

        var queued = new List<Binko.Data.Entities.Generation>();
        for (var i = 0; i < 20; i++)
            queued.Add(await harness.EnqueueAsync(GenerationJobs.Request(numIdeas: 1 + i % 5)));
        var jobs = new List<Binko.Data.Entities.Generation>();
        foreach (var job in queued)
            jobs.Add(await harness.FinishedAsync(job.Id));

        Assert.All(jobs, job =>
        {
            Assert.Equal(GenerationStatus.Completed, job.Status);
            Assert.Equal(1, job.Attempts);
            Assert.Equal(job.NumIdeas, job.Ideas.Count);
        });
        Assert.Equal(20, harness.Llm.CallCount);
    }
}
