using Binko.Data;
using Binko.Data.Entities;
using Binko.Data.Generations;

namespace Binko.Tests.Infrastructure;

/// <summary>Stands in for the generation worker where a test is about the API: claims a job through the real
/// queue and completes it with plain ideas.</summary>
public static class QueueDriver
{
    public const string Worker = "test-driver";
    public const string Model = "driver-model";

    /// <summary>Completes the next due job; null when none is queued.</summary>
    public static async Task<Guid?> CompleteNextAsync(BinkoDbContext db, bool degraded = false, CancellationToken cancellationToken = default)
    {
        var job = await GenerationQueue.ClaimAsync(db, Worker, TimeSpan.FromSeconds(30), cancellationToken);
        if (job is null)
            return null;
        var ideas = Enumerable.Range(1, job.NumIdeas)
            .Select(n => new IdeaDraft($"Idea {n} of {job.Id:N}", "A project small enough to finish.", SkillLevel.Beginner,
                "web", ["starter"], ["csharp"], 8))
            .ToList();
        await GenerationQueue.CompleteAsync(db, job, new GenerationOutcome(Model, ideas, degraded), cancellationToken);
        return job.Id;
    }
}
