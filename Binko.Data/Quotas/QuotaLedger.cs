using Microsoft.EntityFrameworkCore;

namespace Binko.Data.Quotas;

/// <summary>
/// Daily allowances, one row per subject and UTC day. Reserving is one atomic upsert that only increments below the
/// limit, so concurrent requests can never overspend. A subject is an owner id (generations: a failed or degraded one
/// gives its unit back in the statement that finishes it, <see cref="Generations.GenerationQueue"/>) or an owner's
/// <see cref="LlmCallsSubject"/> (LLM calls, never given back).
/// </summary>
public static class QuotaLedger
{
    /// <summary>The longest subject: an owner id (at most 200 characters) with the LLM-call prefix.</summary>
    public const int MaxSubjectLength = 210;

    /// <summary>The subject that counts the LLM calls the worker made for <paramref name="ownerId"/>'s jobs.</summary>
    public static string LlmCallsSubject(string ownerId) => "llm:" + ownerId;

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>When today's allowance resets: the next UTC midnight.</summary>
    public static DateTimeOffset ResetsAt(TimeProvider time) => new(Today(time).AddDays(1), TimeOnly.MinValue, TimeSpan.Zero);

    /// <summary>Takes one unit of <paramref name="subject"/>'s allowance for <paramref name="day"/>; returns the
    /// units used including this one, or null when the allowance is spent (nothing is taken then).</summary>
    public static async Task<int?> TryReserveAsync(BinkoDbContext db, string subject, DateOnly day, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
            return null;
        var used = await db.Database.SqlQuery<int>($"""
            INSERT INTO quota_usage (subject_id, day, used) VALUES ({subject}, {day}, 1)
            ON CONFLICT (subject_id, day) DO UPDATE SET used = quota_usage.used + 1 WHERE quota_usage.used < {limit}
            RETURNING used AS "Value"
            """).ToListAsync(cancellationToken);
        return used.Count == 1 ? used[0] : null;
    }

    public static Task<int> UsedAsync(BinkoDbContext db, string subject, DateOnly day, CancellationToken cancellationToken) =>
        db.QuotaUsage.Where(u => u.SubjectId == subject && u.Day == day).Select(u => u.Used).SingleOrDefaultAsync(cancellationToken);
}
