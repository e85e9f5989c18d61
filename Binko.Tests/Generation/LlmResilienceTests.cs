using Binko.Data.Entities;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.FakeLlm;

namespace Binko.Tests.Generation;

public sealed class LlmResilienceTests(TestInfrastructure infrastructure)
{
    [Fact]
    public async Task Status_429_with_Retry_After_is_retried_after_the_requested_wait()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.Llm!.Enqueue(FakeLlmReply.Status(429, retryAfterSeconds: 2));
        harness.StartWorker();

        var job = await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request())).Id);

        AssertCompletedByTheLlm(job, attempts: 1);
        var calls = harness.Llm.Requests;
        Assert.Equal(2, calls.Count);
        AssertAtLeastApart(calls[0], calls[1], TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Retry_after_ms_is_honoured_and_long_waits_are_capped()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.Llm!.Enqueue(FakeLlmReply.Status(429, retryAfterMs: 1200), FakeLlmReply.Status(503, retryAfterSeconds: 3600));
        harness.StartWorker(new Dictionary<string, string?> { ["Generation:MaxRetryAfterSeconds"] = "1" });

        var job = await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request())).Id);

        AssertCompletedByTheLlm(job, attempts: 1);
        var calls = harness.Llm.Requests;
        Assert.Equal(3, calls.Count);
        // retry-after-ms 1200 is capped at MaxRetryAfterSeconds=1 as well; the hour-long Retry-After too.
        Assert.InRange((calls[1].ReceivedAt - calls[0].ReceivedAt).TotalMilliseconds, 950, 5000);
        Assert.InRange((calls[2].ReceivedAt - calls[1].ReceivedAt).TotalMilliseconds, 950, 5000);
    }

    [Fact]
    public async Task Server_errors_are_retried_until_success()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.Llm!.Enqueue(FakeLlmReply.Status(500), FakeLlmReply.Status(502));
        harness.StartWorker();

        var job = await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request())).Id);

        AssertCompletedByTheLlm(job, attempts: 1);
        Assert.Equal(3, harness.Llm.CallCount);
    }

    [Fact]
    public async Task A_response_cut_in_the_middle_is_an_unavailable_LLM_and_is_tried_again()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.Llm!.Enqueue(FakeLlmReply.Cut());
        harness.StartWorker();

        var job = await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request())).Id);

        // Whether the reset reached the HTTP pipeline (retried there) or the SDK reading the body (the job is retried),
        // the second call's ideas complete the job: never "failed with an unexpected error".
        Assert.Equal(GenerationStatus.Completed, job.Status);
        Assert.False(job.Degraded);
        Assert.Equal(job.NumIdeas, job.Ideas.Count);
        Assert.Equal(2, harness.Llm.CallCount);
    }

    [Fact]
    public async Task Attempts_that_time_out_are_retried_until_success()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.Llm!.Enqueue(FakeLlmReply.Delay(TimeSpan.FromSeconds(30)), FakeLlmReply.Delay(TimeSpan.FromSeconds(30)));
        harness.StartWorker(new Dictionary<string, string?> { ["Generation:AttemptTimeoutSeconds"] = "1" });

        var job = await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request())).Id);

        AssertCompletedByTheLlm(job, attempts: 1);
        var calls = harness.Llm.Requests;
        Assert.Equal(3, calls.Count);
        AssertAtLeastApart(calls[0], calls[1], TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task An_LLM_down_for_every_attempt_degrades_the_job_to_catalog_ideas()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.Llm!.Default = FakeLlmReply.Status(500);
        harness.StartWorker(new Dictionary<string, string?>
        {
            ["Generation:LlmRetries"] = "1",
            ["Generation:MaxAttempts"] = "2",
            ["Generation:CircuitFailureThreshold"] = "100",
        });

        var job = await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request(numIdeas: 3))).Id);

        Assert.Equal(GenerationStatus.Completed, job.Status);
        Assert.True(job.Degraded);
        Assert.Equal("binko-catalog", job.Model);
        Assert.Equal(2, job.Attempts);
        Assert.Equal(3, job.Ideas.Count);
        Assert.Equal(4, harness.Llm.CallCount); // 2 attempts × (1 call + 1 retry)
    }

    private static void AssertCompletedByTheLlm(Binko.Data.Entities.Generation job, int attempts)
    {
        Assert.Equal(GenerationStatus.Completed, job.Status);
        Assert.False(job.Degraded);
        Assert.Equal("fake-model", job.Model);
        Assert.Equal(attempts, job.Attempts);
        Assert.Equal(job.NumIdeas, job.Ideas.Count);
    }

    /// <summary>The second call came at least <paramref name="wait"/> after the first. .NET timers count whole
    /// milliseconds of a coarser clock, so by the wall clock a wait may end a millisecond early: 10 ms of slack, still far
    /// from an immediate retry.</summary>
    private static void AssertAtLeastApart(FakeLlmRequest first, FakeLlmRequest second, TimeSpan wait) =>
        Assert.True(second.ReceivedAt - first.ReceivedAt >= wait - TimeSpan.FromMilliseconds(10),
            $"the second call came {(second.ReceivedAt - first.ReceivedAt).TotalMilliseconds} ms after the first, expected {wait.TotalMilliseconds} ms");
}
