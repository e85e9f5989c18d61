using Microsoft.EntityFrameworkCore;

namespace Binko.Data.Generations;

/// <summary>
/// The titles an owner was already shown, which Binko never shows them again (README, "What Binko learns"): the titles
/// of their latest <see cref="Window"/> ideas, newest generation first, compared without regard to case. The worker
/// keeps them out of new results; the API does not serve a cached result that holds one of them
/// (<see cref="GenerationRows.TryInsertFromCacheAsync"/>, which reads the same window in SQL).
/// </summary>
public static class ShownTitles
{
    /// <summary>How many of an owner's latest ideas count: it bounds the prompt and both checks.</summary>
    public const int Window = 500;

    public static async Task<IReadOnlySet<string>> LoadAsync(BinkoDbContext db, string ownerId, CancellationToken cancellationToken)
    {
        var titles = await (
                from generation in db.Generations
                where generation.OwnerId == ownerId
                join idea in db.GeneratedIdeas on generation.Id equals idea.GenerationId
                // Ids are UUIDv7: id order is creation order, and the (owner_id, id) index gives it.
                orderby generation.Id descending, idea.Position
                select idea.Title)
            .Take(Window)
            .ToListAsync(cancellationToken);
        return titles.Select(Normalize).ToHashSet();
    }

    public static string Normalize(string title) => title.Trim().ToLowerInvariant();
}
