using System.Diagnostics;
using Binko.Data.Entities;
using Binko.GenerationWorker.Extensions;
using Binko.GenerationWorker.Telemetry;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.FakeLlm;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Generation;

/// <summary>One generation is one trace: the API stores its request's trace context with the job, and each attempt at
/// the job continues it.</summary>
public sealed class GenerationTracingTests(TestInfrastructure infrastructure)
{
    [Fact]
    public async Task A_generation_queued_through_the_api_is_one_trace_from_the_request_to_the_stored_ideas()
    {
        using var spans = new RecordedSpans(source =>
            source.Name is "Microsoft.AspNetCore" or "System.Net.Http" or "Npgsql" || source.Name.StartsWith("Binko.", StringComparison.Ordinal));
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        harness.StartWorker();
        await using var api = new ApiFactory(harness.Settings());
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));

        var generation = await user.QueueAndWaitAsync("/api/v1/generations", Body());

        var processing = Assert.Single(await spans.WaitForAsync(IsProcessing(generation.GetProperty("id").GetGuid()), "the job's processing span"));
        var request = Assert.Single(spans.All, span => span.Source.Name == "Microsoft.AspNetCore" && span.SpanId == processing.ParentSpanId);
        Assert.Equal(request.TraceId, processing.TraceId);
        Assert.Equal(ActivityKind.Server, request.Kind);
        Assert.Equal(ActivityKind.Consumer, processing.Kind);
        Assert.Equal("completed", processing.GetTagItem(GenerationTracing.OutcomeTag));
        Assert.Equal(harness.Model, processing.GetTagItem("binko.generation.model"));
        Assert.Equal(2, processing.GetTagItem("binko.generation.idea_count"));

        var steps = spans.ChildrenOf(processing);
        var load = Assert.Single(steps, span => span.OperationName == GenerationTracing.LoadContextSpanName);
        var generate = Assert.Single(steps, span => span.OperationName == GenerationTracing.GenerateSpanName);
        var store = Assert.Single(steps, span => span.OperationName == GenerationTracing.StoreSpanName);
        Assert.Contains(spans.ChildrenOf(load), span => span.Source.Name == "Npgsql");
        var chat = Assert.Single(spans.ChildrenOf(generate), span => span.Source.Name == LlmExtensions.TelemetrySourceName);
        Assert.Contains(spans.ChildrenOf(chat), span => span.Source.Name == "System.Net.Http");
        Assert.Contains(spans.ChildrenOf(store), span => span.Source.Name == "Npgsql");
    }

    [Fact]
    public async Task An_attempt_retried_after_an_llm_failure_and_the_one_that_completes_are_both_in_the_request_trace()
    {
        using var spans = new RecordedSpans(source => source.Name is "Microsoft.AspNetCore" or GenerationTracing.SourceName);
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        // The first attempt's call and both its HTTP retries fail: the job goes back to the queue for a second attempt.
        harness.Llm!.Enqueue(FakeLlmReply.Status(500), FakeLlmReply.Status(500), FakeLlmReply.Status(500));
        harness.StartWorker();
        await using var api = new ApiFactory(harness.Settings());
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));

        var generation = await user.QueueAndWaitAsync("/api/v1/generations", Body());

        var attempts = (await spans.WaitForAsync(IsProcessing(generation.GetProperty("id").GetGuid()), "both attempts' spans", count: 2))
            .OrderBy(attempt => attempt.StartTimeUtc).ToList();
        var request = Assert.Single(spans.All, span => span.Source.Name == "Microsoft.AspNetCore" && span.SpanId == attempts[0].ParentSpanId);
        Assert.All(attempts, attempt => Assert.Equal((request.TraceId, request.SpanId), (attempt.TraceId, attempt.ParentSpanId)));
        Assert.Equal([1, 2], attempts.Select(attempt => (int)attempt.GetTagItem("binko.generation.attempt")!));
        Assert.Equal(["retry", "completed"], attempts.Select(attempt => attempt.GetTagItem(GenerationTracing.OutcomeTag) as string));
        Assert.Equal([ActivityStatusCode.Error, ActivityStatusCode.Unset], attempts.Select(attempt => attempt.Status));
        Assert.Equal("http_500", attempts[0].GetTagItem("error.type"));
    }

    [Fact]
    public async Task A_job_queued_without_trace_context_is_processed_in_a_trace_of_its_own()
    {
        using var spans = new RecordedSpans(source => source.Name == GenerationTracing.SourceName);
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        harness.StartWorker();

        // As a job queued before the API stored trace contexts.
        var queued = await harness.EnqueueAsync(GenerationJobs.Request());
        var job = await harness.FinishedAsync(queued.Id);

        Assert.Null(queued.TraceParent);
        Assert.Equal(GenerationStatus.Completed, job.Status);
        var processing = Assert.Single(await spans.WaitForAsync(IsProcessing(job.Id), "the job's processing span"));
        Assert.Null(processing.ParentId);
        Assert.Equal("completed", processing.GetTagItem(GenerationTracing.OutcomeTag));
        Assert.Contains(spans.ChildrenOf(processing), span => span.OperationName == GenerationTracing.StoreSpanName);
    }

    private static Func<Activity, bool> IsProcessing(Guid jobId) => span =>
        span.Source.Name == GenerationTracing.SourceName && span.OperationName == GenerationTracing.ProcessSpanName
        && span.GetTagItem("messaging.message.id") as string == jobId.ToString();

    private static object Body() =>
        new { profile = new { experience_level = "beginner", skills = new[] { "python" }, weekly_hours = 10 }, num_ideas = 2 };
}
