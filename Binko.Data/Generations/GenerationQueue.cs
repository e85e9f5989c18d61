using Binko.Data.Entities;
using Binko.Data.Quotas;
using Microsoft.EntityFrameworkCore;

namespace Binko.Data.Generations;

/// <summary>
/// The durable job queue: generation rows in Postgres. Workers claim with <c>FOR UPDATE SKIP LOCKED</c> under a
/// lease they extend by heartbeat; a job whose lease ran out (its worker died) is claimed again. Every transition
/// after the claim checks the lease, and results are written together with the <c>completed</c> state in one
/// transaction, so a job's ideas are stored exactly once even if it ran twice.
/// </summary>
public static class GenerationQueue
{
    /// <summary>NOTIFY channel that wakes workers when a job is queued.</summary>
    public const string QueuedChannel = "binko_generation_queued";

    /// <summary>NOTIFY channel (payload: the generation id) raised when a job completes or fails.</summary>
    public const string FinishedChannel = "binko_generation_finished";

    /// <summary>Wakes the workers; inside a transaction it is delivered on commit.</summary>
    public static Task NotifyQueuedAsync(BinkoDbContext db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({QueuedChannel}, '')", cancellationToken);

    /// <summary>Claims the oldest due job (or one whose lease expired) for <paramref name="worker"/>, or null.</summary>
    public static async Task<Generation?> ClaimAsync(BinkoDbContext db, string worker, TimeSpan lease, CancellationToken cancellationToken)
    {
        var claimed = await db.Generations.FromSql($"""
            UPDATE generations
            SET status = 'running', lease_owner = {worker}, lease_expires_at = now() + {lease},
                attempts = attempts + 1, started_at = coalesce(started_at, now())
            WHERE id = (
                SELECT id FROM generations
                WHERE (status = 'queued' AND available_at <= now()) OR (status = 'running' AND lease_expires_at < now())
                ORDER BY available_at, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING *
            """).AsNoTracking().ToListAsync(cancellationToken);
        return claimed.SingleOrDefault();
    }

    /// <summary>Extends the lease; false when this worker no longer holds the job.</summary>
    public static async Task<bool> HeartbeatAsync(BinkoDbContext db, Guid id, string worker, TimeSpan lease, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"""
            UPDATE generations SET lease_expires_at = now() + {lease}
            WHERE id = {id} AND lease_owner = {worker} AND status = 'running'
            """, cancellationToken) == 1;

    /// <summary>Puts the job back for another attempt after <paramref name="delay"/>; false when the lease was lost.</summary>
    public static async Task<bool> RetryLaterAsync(BinkoDbContext db, Guid id, string worker, TimeSpan delay, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"""
            UPDATE generations
            SET status = 'queued', available_at = now() + {delay}, lease_owner = NULL, lease_expires_at = NULL
            WHERE id = {id} AND lease_owner = {worker} AND status = 'running'
            """, cancellationToken) == 1;

    /// <summary>
    /// Stores the ideas and marks the job completed, in one transaction; a degraded result refunds the quota unit.
    /// False (and nothing written) when this worker no longer holds the job.
    /// </summary>
    public static Task<bool> CompleteAsync(BinkoDbContext db, Generation job, string worker, GenerationOutcome outcome,
        CancellationToken cancellationToken) =>
        InTransactionAsync(db, async () =>
        {
            var finished = await db.Database.ExecuteSqlAsync($"""
                UPDATE generations
                SET status = 'completed', model = {outcome.Model}, degraded = {outcome.Degraded},
                    prompt_tokens = {outcome.PromptTokens}, completion_tokens = {outcome.CompletionTokens},
                    error_code = NULL, completed_at = now(), lease_owner = NULL, lease_expires_at = NULL
                WHERE id = {job.Id} AND lease_owner = {worker} AND status = 'running'
                """, cancellationToken);
            if (finished != 1)
                return false;

            db.GeneratedIdeas.AddRange(outcome.Ideas.Select((idea, position) =>
                idea.ToEntity(job.Id, position, job.RefinesIdeaId)));
            await db.SaveChangesAsync(cancellationToken);
            if (outcome.Degraded)
                await RefundAsync(db, job, cancellationToken);
            await NotifyFinishedAsync(db, job.Id, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Marks the job failed for good with <paramref name="errorCode"/> and refunds its quota unit.</summary>
    public static Task<bool> FailAsync(BinkoDbContext db, Generation job, string worker, string errorCode, CancellationToken cancellationToken) =>
        InTransactionAsync(db, async () =>
        {
            var failed = await db.Database.ExecuteSqlAsync($"""
                UPDATE generations
                SET status = 'failed', error_code = {errorCode}, completed_at = now(), lease_owner = NULL, lease_expires_at = NULL
                WHERE id = {job.Id} AND lease_owner = {worker} AND status = 'running'
                """, cancellationToken);
            if (failed != 1)
                return false;
            await RefundAsync(db, job, cancellationToken);
            await NotifyFinishedAsync(db, job.Id, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Queued and running jobs: what backpressure limits.</summary>
    public static Task<int> InFlightAsync(BinkoDbContext db, CancellationToken cancellationToken) =>
        db.Generations.CountAsync(g => g.Status == GenerationStatus.Queued || g.Status == GenerationStatus.Running, cancellationToken);

    private static Task NotifyFinishedAsync(BinkoDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({FinishedChannel}, {id.ToString()})", cancellationToken);

    private static Task RefundAsync(BinkoDbContext db, Generation job, CancellationToken cancellationToken) =>
        job.QuotaDay is { } day ? QuotaLedger.RefundAsync(db, job.OwnerId, day, cancellationToken) : Task.CompletedTask;

    /// <summary>A transaction under EF Core's retrying execution strategy (the whole unit is retried together).</summary>
    private static Task<bool> InTransactionAsync(BinkoDbContext db, Func<Task<bool>> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (!await work())
                return false;
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);
}

/// <summary>What a finished job produced.</summary>
public sealed record GenerationOutcome(
    string Model,
    IReadOnlyList<IdeaDraft> Ideas,
    bool Degraded = false,
    int? PromptTokens = null,
    int? CompletionTokens = null);
