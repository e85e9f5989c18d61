using Binko.Data.Entities;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.FakeLlm;
using Binko.Tests.Infrastructure.Servers;

namespace Binko.Tests.Generation;

/// <summary>The worker as a real process, killed in the middle of a job.</summary>
public sealed class WorkerCrashTests(TestInfrastructure infrastructure)
{
    [Fact]
    public async Task Job_of_a_killed_worker_completes_once_on_another_worker_after_its_lease()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        var hold = new FakeLlmHold();
        harness.Llm!.Enqueue(FakeLlmReply.Hold(hold));
        var settings = new Dictionary<string, string?> { ["Generation:LeaseSeconds"] = "3" };
        await using var process = ServiceProjects.Start(ServiceProjects.GenerationWorker, harness.Settings(settings), FreePort.Get());
        var queued = await harness.EnqueueAsync(GenerationJobs.Request(numIdeas: 3));

        // The first worker has claimed the job and is waiting for the LLM: kill it there.
        await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.Equal(GenerationStatus.Running, (await harness.FindAsync(queued.Id))!.Status);
        Assert.True(process.SendSignal(Signal.SIGKILL));
        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        harness.StartWorker(settings);
        var job = await harness.FinishedAsync(queued.Id);

        Assert.Equal(GenerationStatus.Completed, job.Status);
        Assert.False(job.Degraded);
        Assert.Equal(2, job.Attempts);
        Assert.Equal(3, job.Ideas.Count);
        Assert.Equal([0, 1, 2], job.Ideas.Select(i => i.Position).Order());
        Assert.Equal(2, harness.Llm.CallCount);
        Assert.All(job.Ideas, idea => Assert.StartsWith("Fake idea 2.", idea.Title));
    }
}
