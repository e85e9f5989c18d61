using Binko.Data;
using Binko.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Binko.Api.Generations;

/// <summary>Reads the caller's generations; another owner's generation does not exist for them.</summary>
public sealed class GenerationReader(BinkoDbContext db, GenerationEvents events, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public Task<Generation?> FindAsync(Caller caller, Guid id, CancellationToken cancellationToken) =>
        db.Generations.AsNoTracking().Include(g => g.Ideas)
            .SingleOrDefaultAsync(g => g.Id == id && g.OwnerId == caller.OwnerId, cancellationToken);

    /// <summary>The generation once it has finished, or as it is when <paramref name="wait"/> runs out.</summary>
    public async Task<Generation?> WaitAsync(Caller caller, Guid id, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            using var waiter = events.Register(id);
            var generation = await FindAsync(caller, id, cancellationToken);
            var remaining = deadline - time.GetUtcNow();
            if (generation is null or { Status: GenerationStatus.Completed or GenerationStatus.Failed } || remaining <= TimeSpan.Zero)
                return generation;
            await Task.WhenAny(waiter.Finished, Task.Delay(remaining < PollInterval ? remaining : PollInterval, time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The caller's generations, newest first (ids are time-ordered), after <paramref name="before"/>.</summary>
    public Task<List<Generation>> ListAsync(Caller caller, Guid? before, int take, CancellationToken cancellationToken)
    {
        var mine = db.Generations.AsNoTracking().Include(g => g.Ideas).Where(g => g.OwnerId == caller.OwnerId);
        if (before is { } cursor)
            mine = mine.Where(g => g.Id.CompareTo(cursor) < 0);
        return mine.OrderByDescending(g => g.Id).Take(take).ToListAsync(cancellationToken);
    }
}
