using System.Text.Json;
using Binko.Data.Entities;
using Binko.Data.Quotas;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.FakeLlm;

namespace Binko.Tests.Generation;

/// <summary>What one owner can make the LLM do: a daily budget of calls per plan (<c>Quotas:LlmCalls</c>), counted when
/// the worker calls, whatever becomes of the job, and a cap on each answer's tokens (<c>Generation:MaxOutputTokens</c>).</summary>
public sealed class LlmBudgetTests(TestInfrastructure infrastructure)
{
    private static readonly Dictionary<string, string?> Budgets = new()
    {
        ["Quotas:LlmCalls:Guest"] = "1",
        ["Quotas:LlmCalls:Free"] = "2",
        ["Quotas:LlmCalls:Pro"] = "3",
    };

    [Theory]
    [InlineData(Plans.Guest, 1)]
    [InlineData(Plans.Free, 2)]
    [InlineData(Plans.Pro, 3)]
    public async Task An_owner_gets_their_plans_LLM_calls_a_day_and_then_jobs_fail_with_llm_budget_exhausted(string plan, int budget)
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.StartWorker(Budgets);
        var owner = plan == Plans.Guest ? $"guest:{Guid.NewGuid():N}" : $"user:{Guid.NewGuid():N}";

        var jobs = new List<Binko.Data.Entities.Generation>();
        for (var n = 0; n <= budget; n++)
            jobs.Add(await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request(numIdeas: 1), owner, plan: plan)).Id));

        // Each job took one call while the budget lasted; the one after it made none and failed for good.
        Assert.All(jobs[..budget], job => Assert.Equal(GenerationStatus.Completed, job.Status));
        Assert.Equal(GenerationStatus.Failed, jobs[^1].Status);
        Assert.Equal("llm_budget_exhausted", jobs[^1].ErrorCode);
        Assert.Equal(budget, harness.Llm!.CallCount);
        // Another owner of the same plan has a budget of their own.
        var other = await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request(numIdeas: 1), plan: plan)).Id);
        Assert.Equal(GenerationStatus.Completed, other.Status);
    }

    [Fact]
    public async Task A_request_the_LLM_never_satisfies_spends_the_budget_instead_of_six_calls_and_a_refund_a_job()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        // Every answer uses a skill the person lacks: the first call and its repair call are both unusable.
        harness.Llm!.Default = FakeLlmReply.Content(FakeIdeas.Json(2, "cobol"));
        harness.StartWorker(new Dictionary<string, string?>(Budgets) { ["Generation:MaxAttempts"] = "3" });
        var owner = $"user:{Guid.NewGuid():N}";
        var day = QuotaLedger.Today(TimeProvider.System);
        await using (var db = harness.Db())
            await QuotaLedger.TryReserveAsync(db, owner, day, 20, CancellationToken.None);

        var job = await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request(numIdeas: 2, skills: ["go"]), owner, day, plan: Plans.Free)).Id);
        var next = await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request(numIdeas: 2, skills: ["go"]), owner, plan: Plans.Free)).Id);

        // Attempt 1: a call and a repair call, both unusable (the free budget of 2). Attempt 2 may not call: the job
        // fails instead of three attempts of two calls each and a degraded, refunded result.
        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.Equal("llm_budget_exhausted", job.ErrorCode);
        Assert.Equal(2, job.Attempts);
        Assert.Equal("llm_budget_exhausted", next.ErrorCode);
        Assert.Equal(1, next.Attempts);
        Assert.Equal(2, harness.Llm.CallCount);
        await using var check = harness.Db();
        // The failed job's generation unit is refunded; the LLM calls are not.
        Assert.Equal(0, await QuotaLedger.UsedAsync(check, owner, day, CancellationToken.None));
        Assert.Equal(2, await QuotaLedger.UsedAsync(check, QuotaLedger.LlmCallsSubject(owner), day, CancellationToken.None));
    }

    [Fact]
    public async Task Every_call_asks_for_at_most_MaxOutputTokens()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.Llm!.Enqueue(FakeLlmReply.BrokenJson());
        harness.StartWorker(new Dictionary<string, string?> { ["Generation:MaxOutputTokens"] = "777" });

        var job = await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request(numIdeas: 2))).Id);

        Assert.Equal(GenerationStatus.Completed, job.Status);
        // The first call and the repair call.
        Assert.Equal(2, harness.Llm.CallCount);
        Assert.Equal([777, 777], harness.Llm.Requests.Select(MaxCompletionTokens));
    }

    /// <summary>The OpenAI request's cap on the answer's tokens; null when it sets none.</summary>
    private static int? MaxCompletionTokens(FakeLlmRequest call) =>
        JsonDocument.Parse(call.Body).RootElement.TryGetProperty("max_completion_tokens", out var value) ? value.GetInt32() : null;
}
