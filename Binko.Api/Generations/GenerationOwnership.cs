using Binko.Data.Entities;

namespace Binko.Api.Generations;

public static class GenerationOwnership
{
    /// <summary>The caller's generation <paramref name="id"/>, if it holds the idea <paramref name="ideaId"/>: what
    /// feedback and refinement act on. Anything else (another caller's generation, another generation's idea) is 404.</summary>
    public static IQueryable<Generation> OwnedWithIdea(this IQueryable<Generation> generations, Caller caller, Guid id, Guid ideaId) =>
        generations.Where(g => g.Id == id && g.OwnerId == caller.OwnerId && g.Ideas.Any(i => i.Id == ideaId));
}
