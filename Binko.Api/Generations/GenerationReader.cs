using Binko.Data;
using Binko.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Binko.Api.Generations;

/// <summary>Reads the caller's generations; another owner's generation does not exist for them.</summary>
public sealed class GenerationReader(BinkoDbContext db, GenerationEvents events, WaitLimiter waits, GenerationMetrics metrics,
    IOptions<GenerationOptions> options, TimeProvider time)
{
    public Task<Generation?> FindAsync(Caller caller, Guid id, CancellationToken cancellationToken) =>
        db.Generations.AsNoTracking().Include(g => g.Ideas)
            .SingleOrDefaultAsync(g => g.Id == id && g.OwnerId == caller.OwnerId, cancellationToken);

    /// <summary>
    /// The generation once it has finished, or as it is when <paramref name="wait"/> runs out. It is read again when the
    /// completion notification comes (<see cref="GenerationEvents"/>), and otherwise only every
    /// <see cref="GenerationOptions.WaitFallbackSeconds"/>. A caller already holding
    /// <see cref="GenerationOptions.MaxWaitsPerCaller"/> waits gets the current state at once.
    /// </summary>
    public async Task<Generation?> WaitAsync(Caller caller, Guid id, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var slot = waits.TryEnter(caller.OwnerId);
        if (!slot.IsAcquired)
        {
            metrics.WaitRefused();
            return await FindAsync(caller, id, cancellationToken);
        }

        using var open = metrics.WaitOpened();
        var fallback = TimeSpan.FromSeconds(options.Value.WaitFallbackSeconds);
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            using var waiter = events.Register(id);
            var generation = await FindAsync(caller, id, cancellationToken);
            var remaining = deadline - time.GetUtcNow();
            if (generation is null or { Status: GenerationStatus.Completed or GenerationStatus.Failed } || remaining <= TimeSpan.Zero)
                return generation;
            try
            {
                await waiter.Finished.WaitAsync(remaining < fallback ? remaining : fallback, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // No notification: read it anyway (the deadline, or the fallback check for a lost notification).
            }
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
