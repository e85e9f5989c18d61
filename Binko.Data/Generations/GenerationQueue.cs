using System.Runtime.CompilerServices;
using Binko.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Binko.Data.Generations;

/// <summary>
/// The durable job queue: generation rows in Postgres. Workers claim with <c>FOR UPDATE SKIP LOCKED</c> under a
/// lease they extend by heartbeat; a job whose lease ran out (its worker died or stalled) is claimed again. A lease
/// belongs to one claim, not to a process: each claim sets a new <see cref="Generation.LeaseToken"/>, and every write
/// after it (heartbeat, complete, fail, retry, put back) is fenced by that token, so a stale claim's writes change
/// nothing and tell it that it lost the job, even when the new claim is another loop of the same worker. Results are
/// written together with the <c>completed</c> state in one transaction, so a job's ideas are stored exactly once even
/// if it ran twice.
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

    /// <summary>Claims the oldest due job (or one whose lease expired) for <paramref name="worker"/>, or null. The row
    /// returned is the claim: pass it to every later write of the job (its <see cref="Generation.LeaseToken"/> fences them).</summary>
    public static async Task<Generation?> ClaimAsync(BinkoDbContext db, string worker, TimeSpan lease, CancellationToken cancellationToken)
    {
        var claimed = await db.Generations.FromSql($"""
            UPDATE generations
            SET status = 'running', lease_owner = {worker}, lease_expires_at = now() + {lease}, lease_token = gen_random_uuid(),
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

    /// <summary>Extends the lease of <paramref name="claim"/>; false when another claim holds the job now.</summary>
    public static async Task<bool> HeartbeatAsync(BinkoDbContext db, Generation claim, TimeSpan lease, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"""
            UPDATE generations SET lease_expires_at = now() + {lease}
            WHERE id = {claim.Id} AND lease_token = {claim.LeaseToken} AND status = 'running'
            """, cancellationToken) == 1;

    /// <summary>Puts the job back for another attempt after <paramref name="delay"/>; false when the lease was lost.</summary>
    public static async Task<bool> RetryLaterAsync(BinkoDbContext db, Generation claim, TimeSpan delay, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"""
            UPDATE generations
            SET status = 'queued', available_at = now() + {delay}, lease_owner = NULL, lease_expires_at = NULL, lease_token = NULL
            WHERE id = {claim.Id} AND lease_token = {claim.LeaseToken} AND status = 'running'
            """, cancellationToken) == 1;

    /// <summary>
    /// Stores the ideas and marks the job completed; a degraded result refunds the quota unit. False (and nothing
    /// written) when this claim no longer holds the job. One statement (<see cref="FinishAsync"/>): the ideas are
    /// inserted only by the update that completes the job.
    /// </summary>
    public static Task<bool> CompleteAsync(BinkoDbContext db, Generation claim, GenerationOutcome outcome, CancellationToken cancellationToken)
    {
        var ideas = GenerationRows.IdeasJson(outcome.Ideas.Select((idea, position) => idea.ToEntity(claim.Id, position, claim.RefinesIdeaId)));
        return FinishAsync(db, $"""
            WITH done AS (
                UPDATE generations
                SET status = 'completed', model = {outcome.Model}, degraded = {outcome.Degraded},
                    prompt_tokens = {outcome.PromptTokens}, completion_tokens = {outcome.CompletionTokens},
                    error_code = NULL, completed_at = now(), lease_owner = NULL, lease_expires_at = NULL, lease_token = NULL
                WHERE id = {claim.Id} AND lease_token = {claim.LeaseToken} AND status = 'running'
                RETURNING id, owner_id, quota_day, degraded AS refund
            ), stored AS (
                INSERT INTO generated_ideas
                SELECT i.* FROM done, jsonb_populate_recordset(NULL::generated_ideas, {ideas}::jsonb) AS i
            )
            """, cancellationToken);
    }

    /// <summary>Marks the job failed for good with <paramref name="errorCode"/> and refunds its quota unit; false (and
    /// nothing written) when this claim no longer holds the job.</summary>
    public static Task<bool> FailAsync(BinkoDbContext db, Generation claim, string errorCode, CancellationToken cancellationToken) =>
        FinishAsync(db, $"""
            WITH done AS (
                UPDATE generations
                SET status = 'failed', error_code = {errorCode}, completed_at = now(), lease_owner = NULL, lease_expires_at = NULL,
                    lease_token = NULL
                WHERE id = {claim.Id} AND lease_token = {claim.LeaseToken} AND status = 'running'
                RETURNING id, owner_id, quota_day, true AS refund
            )
            """, cancellationToken);

    /// <summary>Queued and running jobs: what backpressure limits.</summary>
    public static Task<int> InFlightAsync(BinkoDbContext db, CancellationToken cancellationToken) =>
        db.Generations.CountAsync(g => g.Status == GenerationStatus.Queued || g.Status == GenerationStatus.Running, cancellationToken);

    /// <summary>
    /// Runs a finishing statement: <paramref name="done"/> is its <c>WITH done AS (UPDATE ... RETURNING id, owner_id,
    /// quota_day, refund)</c> part (and any writes that depend on it); this adds the refund of the job's quota unit when
    /// <c>refund</c> is true and the finished notification. One statement is one round trip and one transaction, and
    /// the notification is delivered on its commit. True when the update took place (this claim held the job).
    /// </summary>
    private static async Task<bool> FinishAsync(BinkoDbContext db, FormattableString done, CancellationToken cancellationToken)
    {
        var statement = FormattableStringFactory.Create(done.Format + RefundAndNotify, done.GetArguments());
        return (await db.Database.SqlQuery<int>(statement).ToListAsync(cancellationToken)).Count == 1;
    }

    private const string RefundAndNotify = $"""
        , refunded AS (
            UPDATE quota_usage SET used = used - 1
            FROM done
            WHERE done.refund AND quota_usage.subject_id = done.owner_id AND quota_usage.day = done.quota_day
              AND quota_usage.used > 0
        )
        SELECT 1 AS "Value" FROM done CROSS JOIN LATERAL pg_notify('{FinishedChannel}', done.id::text)
        """;
}

/// <summary>What a finished job produced.</summary>
public sealed record GenerationOutcome(
    string Model,
    IReadOnlyList<IdeaDraft> Ideas,
    bool Degraded = false,
    int? PromptTokens = null,
    int? CompletionTokens = null);
