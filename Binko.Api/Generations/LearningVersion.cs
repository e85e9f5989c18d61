using Binko.Data;
using Microsoft.EntityFrameworkCore;

namespace Binko.Api.Generations;

/// <summary>
/// The version of what a person's feedback teaches the worker, part of the response-cache key: it changes with every
/// feedback they give (or update), so a cached result never ignores new feedback. Empty for guests and for users
/// without feedback, whose identical requests may share cached results; the user id makes it personal otherwise,
/// because the prompt then carries their own rated ideas.
/// </summary>
public static class LearningVersion
{
    public static async Task<string> OfAsync(BinkoDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.UserId is not { } userId)
            return "";
        var latest = await db.Feedback.Where(f => f.UserId == userId).MaxAsync(f => (DateTimeOffset?)f.UpdatedAt, cancellationToken);
        return latest is { } updatedAt ? $"{userId}:{updatedAt.UtcTicks}" : "";
    }
}
