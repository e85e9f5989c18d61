using Microsoft.EntityFrameworkCore;

namespace Binko.Data.Retention;

/// <summary>
/// The deletes that keep tables from growing without end, one bounded batch per statement (its own short transaction).
/// A batch locks its rows with <c>FOR UPDATE SKIP LOCKED</c>, so replicas deleting at the same time take different rows
/// and never wait for one another, and a row an intake is reviving (an Idempotency-Key reused after it expired) is
/// skipped or re-checked rather than deleted under it.
/// </summary>
public static class RetentionBatches
{
    /// <summary>Deletes up to <paramref name="limit"/> product events received before <paramref name="cutoff"/>,
    /// oldest first; returns how many.</summary>
    public static Task<int> DeleteEventsAsync(BinkoDbContext db, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            DELETE FROM events WHERE id IN (
                SELECT id FROM events WHERE received_at < {cutoff.ToUniversalTime()}
                ORDER BY received_at
                LIMIT {limit}
                FOR UPDATE SKIP LOCKED)
            """, cancellationToken);

    /// <summary>Deletes up to <paramref name="limit"/> Idempotency-Keys that expired by <paramref name="now"/> (no request
    /// can replay them any more); returns how many.</summary>
    public static Task<int> DeleteExpiredIdempotencyKeysAsync(BinkoDbContext db, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            DELETE FROM idempotency_keys WHERE (owner_id, key) IN (
                SELECT owner_id, key FROM idempotency_keys WHERE expires_at <= {now.ToUniversalTime()}
                ORDER BY expires_at
                LIMIT {limit}
                FOR UPDATE SKIP LOCKED)
            """, cancellationToken);
}
