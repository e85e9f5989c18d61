using Binko.Data;
using Binko.Data.Entities;
using Binko.Data.Generations;
using Microsoft.EntityFrameworkCore;

namespace Binko.Tests.Generation;

/// <summary>Queues generation jobs straight into Postgres, as the API does (row + NOTIFY), and reads them back.</summary>
internal static class GenerationJobs
{
    public static GenerationRequest Request(int numIdeas = 3, SkillLevel level = SkillLevel.Beginner, string[]? skills = null,
        string[]? interests = null, int weeklyHours = 5, string? goals = null, GenerationConstraints? constraints = null) =>
        new(new ProfileSnapshot(level, skills ?? ["python"], interests ?? ["music"], weeklyHours, goals ?? $"learn {Guid.NewGuid():N}"),
            numIdeas, constraints ?? GenerationConstraints.None);

    public static async Task<Binko.Data.Entities.Generation> EnqueueAsync(BinkoDbContext db, GenerationRequest request, string model,
        string? owner = null, DateOnly? quotaDay = null, string? rawRequest = null, string? plan = null)
    {
        var job = new Binko.Data.Entities.Generation
        {
            OwnerId = owner ?? $"user:{Guid.NewGuid():N}",
            Plan = plan,
            Kind = request.Refinement is null ? GenerationKind.Generate : GenerationKind.Refine,
            RefinesIdeaId = request.Refinement?.IdeaId,
            Status = GenerationStatus.Queued,
            NumIdeas = request.NumIdeas,
            Request = rawRequest ?? request.ToJson(),
            ContentHash = request.ContentHash(model),
            QuotaDay = quotaDay,
        };
        db.Generations.Add(job);
        await db.SaveChangesAsync();
        await GenerationQueue.NotifyQueuedAsync(db, CancellationToken.None);
        return job;
    }

    public static Task<Binko.Data.Entities.Generation?> FindAsync(BinkoDbContext db, Guid id) =>
        db.Generations.AsNoTracking().Include(g => g.Ideas).SingleOrDefaultAsync(g => g.Id == id);
}
