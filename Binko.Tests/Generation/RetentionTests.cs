using System.Diagnostics.Metrics;
using Binko.Data;
using Binko.Data.Entities;
using Binko.Data.Events;
using Binko.GenerationWorker.Retention;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;

namespace Binko.Tests.Generation;

/// <summary>
/// The worker deletes product events older than <c>Retention:EventDays</c> and expired Idempotency-Keys, in batches of
/// <c>Retention:BatchSize</c>, at most <c>Retention:MaxBatchesPerRound</c> batches per table and round, every
/// <c>Retention:IntervalSeconds</c>; replicas doing it at once skip each other's rows.
/// </summary>
public sealed class RetentionTests(TestInfrastructure infrastructure)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task A_round_deletes_events_older_than_EventDays_and_expired_idempotency_keys_and_nothing_else()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        var sweeper = Sweeper(harness, new() { ["Retention:EventDays"] = "30" });
        await using var db = harness.Db();
        await AddEventsAsync(db, Now.AddDays(-31), count: 3);
        var kept = await AddEventsAsync(db, Now.AddDays(-29), count: 2);
        var generation = await GenerationJobs.EnqueueAsync(db, GenerationJobs.Request(), harness.Model);
        await AddKeysAsync(db, generation.Id, Now.AddMinutes(-1), "expired-1", "expired-2");
        await AddKeysAsync(db, generation.Id, Now.AddHours(1), "live");

        var round = await sweeper.RunAsync(Ct);

        Assert.Equal(new RetentionRound(Events: 3, IdempotencyKeys: 2), round);
        Assert.Equal(kept, await db.Events.Select(e => e.SessionId).OrderBy(s => s).ToListAsync(Ct));
        Assert.Equal(["live"], await db.IdempotencyRecords.Select(r => r.Key).ToListAsync(Ct));
        Assert.True(await db.Generations.AnyAsync(g => g.Id == generation.Id, Ct));
    }

    [Fact]
    public async Task A_round_deletes_at_most_MaxBatchesPerRound_batches_of_BatchSize_and_the_next_round_goes_on()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        var sweeper = Sweeper(harness, new() { ["Retention:BatchSize"] = "2", ["Retention:MaxBatchesPerRound"] = "2" });
        await using var db = harness.Db();
        await AddEventsAsync(db, Now.AddDays(-100), count: 7);

        var first = await sweeper.RunAsync(Ct);
        var second = await sweeper.RunAsync(Ct);
        var third = await sweeper.RunAsync(Ct);

        Assert.Equal([4, 3, 0], new[] { first.Events, second.Events, third.Events });
        Assert.Equal(0, await db.Events.CountAsync(Ct));
    }

    [Fact]
    public async Task A_round_skips_the_rows_another_replica_is_deleting_instead_of_waiting_for_them()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        var sweeper = Sweeper(harness);
        await using var db = harness.Db();
        await AddEventsAsync(db, Now.AddDays(-100), count: 5);
        // Another replica's batch holds two of them.
        await using var other = harness.Db();
        await using var batch = await other.Database.BeginTransactionAsync(Ct);
        var held = await other.Database.SqlQuery<long>($"""
            SELECT id AS "Value" FROM events ORDER BY id LIMIT 2 FOR UPDATE
            """).ToListAsync(Ct);

        var round = await sweeper.RunAsync(Ct).WaitAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.Equal(3, round.Events);
        Assert.Equal(held, await db.Events.Select(e => e.Id).OrderBy(id => id).ToListAsync(Ct));
    }

    [Fact]
    public async Task The_worker_runs_rounds_on_its_schedule_and_measures_what_they_delete()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        await using var db = harness.Db();
        var worker = harness.StartWorker(new Dictionary<string, string?>
        {
            ["Retention:IntervalSeconds"] = "1",
            ["Retention:BatchSize"] = "1",
            ["Retention:MaxBatchesPerRound"] = "1",
        });
        using var deleted = new MetricCollector<long>(worker.Services.GetRequiredService<IMeterFactory>(),
            RetentionSweeper.MeterName, "binko.retention.deleted");
        await AddEventsAsync(db, Now.AddDays(-100), count: 4);

        // One event a round: only the schedule empties the table.
        await Eventually.ReturnsAsync(() => db.Events.CountAsync(Ct), count => count == 0, TimeSpan.FromSeconds(30), "the old events to be deleted");

        Assert.Equal(4, deleted.GetMeasurementSnapshot()
            .Where(m => m.Tags["table"] as string == RetentionSweeper.EventsTable).Sum(m => m.Value));
    }

    [Theory]
    [InlineData("Retention:BatchSize", "0")]
    [InlineData("Retention:EventDays", "0")]
    [InlineData("Retention:IntervalSeconds", "0")]
    public async Task An_out_of_range_retention_setting_stops_the_worker_at_start_up_naming_it(string setting, string value)
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        await using var worker = new WorkerFactory(harness.Settings(new Dictionary<string, string?> { [setting] = value }));

        var error = Assert.Throws<OptionsValidationException>(() => worker.Server);

        Assert.Contains(setting.Split(':')[1], error.Message);
    }

    /// <summary>A worker whose own schedule is off, so that the test runs each round.</summary>
    private static RetentionSweeper Sweeper(WorkerHarness harness, Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["Retention:Enabled"] = "false";
        return harness.StartWorker(settings).Services.GetRequiredService<RetentionSweeper>();
    }

    /// <summary>Stores <paramref name="count"/> events received at <paramref name="receivedAt"/>; returns their session ids.</summary>
    private static async Task<List<string>> AddEventsAsync(BinkoDbContext db, DateTimeOffset receivedAt, int count)
    {
        var events = Enumerable.Range(0, count).Select(n => new ProductEvent
        {
            OwnerId = "guest:192.0.2.1",
            Name = "idea_viewed",
            SessionId = $"{receivedAt:yyyyMMdd}-{n}",
            OccurredAt = receivedAt,
            ReceivedAt = receivedAt,
            Properties = "{}",
        }).ToList();
        await EventBatches.InsertAsync(db, events, Ct);
        return [.. events.Select(e => e.SessionId).Order()];
    }

    private static async Task AddKeysAsync(BinkoDbContext db, Guid generationId, DateTimeOffset expiresAt, params string[] keys)
    {
        db.IdempotencyRecords.AddRange(keys.Select(key => new IdempotencyRecord
        {
            OwnerId = "user:retention",
            Key = key,
            RequestHash = new string('0', 64),
            GenerationId = generationId,
            CreatedAt = expiresAt.AddHours(-24),
            ExpiresAt = expiresAt,
        }));
        await db.SaveChangesAsync(Ct);
    }
}
