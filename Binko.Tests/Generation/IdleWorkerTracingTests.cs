using System.Diagnostics;
using System.Diagnostics.Metrics;
using Binko.GenerationWorker.Telemetry;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Npgsql;

namespace Binko.Tests.Generation;

/// <summary>Redis spans do not say which test's services made them, so these tests run alone: then every root Redis
/// span is this worker's.</summary>
[CollectionDefinition(nameof(IdleWorkerTracing), DisableParallelization = true)]
public sealed class IdleWorkerTracing;

/// <summary>An idle worker's loops (claim polls, LISTEN, beats, the schema gate) make no traces: a dashboard's trace list
/// shows generations, not a trace per poll.</summary>
[Collection(nameof(IdleWorkerTracing))]
public sealed class IdleWorkerTracingTests(TestInfrastructure infrastructure)
{
    [Fact]
    public async Task An_idle_worker_polls_the_queue_and_beats_without_starting_a_single_trace()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        var database = new NpgsqlConnectionStringBuilder(harness.Database).Database;
        using var spans = new RecordedSpans(source => source.Name == "Npgsql" || source.Name.Contains("Redis", StringComparison.OrdinalIgnoreCase));
        var worker = harness.StartWorker();
        using var claims = new MetricCollector<long>(worker.Services.GetRequiredService<IMeterFactory>(),
            GenerationMetrics.MeterName, "binko.generation.claims");

        // With the test settings (a poll every 0.5 s per claim loop, a beat every second) this is a few seconds of
        // polling, beats and queue-depth samples.
        await claims.WaitForMeasurementsAsync(minCount: 30, TimeSpan.FromSeconds(30));

        Assert.DoesNotContain(claims.GetMeasurementSnapshot(), claim => claim.Tags["found"] is true);
        Assert.DoesNotContain(spans.All, span => IsRoot(span) && (span.Source.Name != "Npgsql" || IsOn(span, database)));

        // While a query on that database outside the worker's loops is a root span the recorder sees.
        await using var db = harness.Db();
        await db.Database.ExecuteSqlAsync($"SELECT 1", TestContext.Current.CancellationToken);
        Assert.Contains(spans.All, span => IsRoot(span) && IsOn(span, database));
    }

    private static bool IsRoot(Activity span) => span.ParentId is null;

    private static bool IsOn(Activity span, string? database) => span.GetTagItem("db.namespace") as string == database;
}
