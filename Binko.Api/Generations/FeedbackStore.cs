using Binko.Api.Models;
using Binko.Data;
using Binko.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Binko.Api.Generations;

/// <summary>Writes feedback as one upsert: created on the first write for an idea, merged afterwards (a signal left out
/// keeps its value), so concurrent writes for the same idea never make a second row. <c>updated_at</c> equals
/// <c>created_at</c> only on the write that created the row.</summary>
public static class FeedbackStore
{
    public static async Task<IdeaFeedback> MergeAsync(BinkoDbContext db, string userId, Guid ideaId, FeedbackRequest request,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var commentGiven = request.Comment is not null;
        var comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        var rows = await db.Feedback.FromSql($"""
            INSERT INTO feedback (id, user_id, generated_idea_id, approved, score, comment, saved, started, created_at, updated_at)
            VALUES ({Guid.CreateVersion7()}, {userId}, {ideaId}, {request.Approved}::boolean, {request.Score}::int, {comment}::text,
                    {request.Saved ?? false}, {request.Started ?? false}, {now}, {now})
            ON CONFLICT (user_id, generated_idea_id) DO UPDATE SET
                approved = COALESCE({request.Approved}::boolean, feedback.approved),
                score = COALESCE({request.Score}::int, feedback.score),
                comment = CASE WHEN {commentGiven} THEN {comment}::text ELSE feedback.comment END,
                saved = COALESCE({request.Saved}::boolean, feedback.saved),
                started = COALESCE({request.Started}::boolean, feedback.started),
                updated_at = GREATEST({now}, feedback.created_at + interval '1 microsecond')
            RETURNING *
            """).AsNoTracking().ToListAsync(cancellationToken);
        return rows.Single();
    }
}
