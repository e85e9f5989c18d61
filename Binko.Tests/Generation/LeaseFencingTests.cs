using Binko.Data;
using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.GenerationWorker.Jobs;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Binko.Tests.Generation;

/// <summary>
/// A lease belongs to a claim, not to a process: a claim loop that stalls past its lease loses the job to the next
/// claim, even one by another loop of the same worker, and from then on every write it attempts changes nothing and
/// tells it so.
/// </summary>
public sealed class LeaseFencingTests(TestInfrastructure infrastructure)
{
    private const string Worker = "host/1234/same-process";
    private static readonly TimeSpan RunOut = TimeSpan.FromSeconds(-1);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stale_claim_of_the_same_worker_can_no_longer_heartbeat_complete_fail_retry_or_put_back_the_job()
    {
        await using var db = infrastructure.CreateDbContext(await infrastructure.CreateMigratedDatabaseAsync());
        var (stale, current) = await ClaimTwiceAsync(db);

        // Put back at shutdown and retry later are the same write.
        Assert.False(await GenerationQueue.HeartbeatAsync(db, stale, TimeSpan.FromHours(1), Ct));
        Assert.False(await GenerationQueue.RetryLaterAsync(db, stale, TimeSpan.Zero, Ct));
        Assert.False(await GenerationQueue.FailAsync(db, stale, "generation_failed", Ct));
        Assert.False(await GenerationQueue.CompleteAsync(db, stale, Outcome("stale-model", stale.NumIdeas), Ct));

        var untouched = await GenerationJobs.FindAsync(db, current.Id);
        Assert.NotNull(untouched);
        Assert.Equal(GenerationStatus.Running, untouched.Status);
        Assert.Equal(current.LeaseToken, untouched.LeaseToken);
        Assert.Equal(current.LeaseExpiresAt, untouched.LeaseExpiresAt);
        Assert.Null(untouched.ErrorCode);
        Assert.Empty(untouched.Ideas);

        // The current claim's writes go through, and its ideas are the ones stored.
        Assert.True(await GenerationQueue.HeartbeatAsync(db, current, TimeSpan.FromMinutes(1), Ct));
        Assert.True(await GenerationQueue.CompleteAsync(db, current, Outcome("current-model", current.NumIdeas), Ct));
        var completed = await GenerationJobs.FindAsync(db, current.Id);
        Assert.Equal(GenerationStatus.Completed, completed!.Status);
        Assert.Equal("current-model", completed.Model);
        Assert.Equal(current.NumIdeas, completed.Ideas.Count);
        Assert.Null(completed.LeaseToken);
    }

    [Fact]
    public async Task The_lease_keeper_of_a_stale_claim_reports_the_job_lost_while_the_current_claim_keeps_its_lease()
    {
        var database = await infrastructure.CreateMigratedDatabaseAsync();
        await using var db = infrastructure.CreateDbContext(database);
        var (stale, current) = await ClaimTwiceAsync(db);
        await using var services = new ServiceCollection()
            .AddDbContext<BinkoDbContext>(options => options.UseNpgsql(database).UseBinkoConventions())
            .BuildServiceProvider();
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        var interval = TimeSpan.FromMilliseconds(100);

        await using var staleKeeper = new LeaseKeeper(scopes, stale, TimeSpan.FromMinutes(5), interval, NullLogger.Instance);
        await using var currentKeeper = new LeaseKeeper(scopes, current, TimeSpan.FromMinutes(5), interval, NullLogger.Instance);

        // The stale claim's first heartbeat tells it: its job stops and writes nothing.
        await Cancelled(staleKeeper.Lost).WaitAsync(TimeSpan.FromSeconds(15), Ct);
        // The current claim's heartbeats extend its own lease (a minute at the claim, five minutes now).
        await Eventually.ReturnsAsync(async () => (await GenerationJobs.FindAsync(db, current.Id))!.LeaseExpiresAt,
            expires => expires > current.LeaseExpiresAt + TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(15), "the current claim's heartbeat");
        Assert.False(currentKeeper.IsLost);
    }

    /// <summary>A job claimed by a loop that stalled past its lease, then by another loop of the same worker.</summary>
    private static async Task<(Binko.Data.Entities.Generation Stale, Binko.Data.Entities.Generation Current)> ClaimTwiceAsync(BinkoDbContext db)
    {
        var queued = await GenerationJobs.EnqueueAsync(db, GenerationJobs.Request(numIdeas: 2), "model");
        var stale = await GenerationQueue.ClaimAsync(db, Worker, RunOut, Ct);
        var current = await GenerationQueue.ClaimAsync(db, Worker, TimeSpan.FromMinutes(1), Ct);

        Assert.Equal(queued.Id, stale?.Id);
        Assert.Equal(queued.Id, current?.Id);
        Assert.Equal(stale!.LeaseOwner, current!.LeaseOwner);
        Assert.NotEqual(stale.LeaseToken, current.LeaseToken);
        Assert.Equal(2, current.Attempts);
        return (stale, current);
    }

    private static GenerationOutcome Outcome(string model, int count) =>
        new(model, [.. Enumerable.Range(1, count).Select(n =>
            new IdeaDraft($"Idea {n} by {model}", "A project small enough to finish.", SkillLevel.Beginner, "web", ["starter"], ["csharp"], 8))]);

    private static Task Cancelled(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource();
        token.Register(() => cancelled.TrySetResult());
        return cancelled.Task;
    }
}
