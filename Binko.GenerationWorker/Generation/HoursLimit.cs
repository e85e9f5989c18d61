namespace Binko.GenerationWorker.Generation;

/// <summary>The most hours an idea may take: the request's max_hours when set, and no more than half a year at
/// the person's weekly hours (26 weeks) when they gave them; 1000 h at most (the catalog's own bound).</summary>
public static class HoursLimit
{
    public static int For(Binko.Data.Generations.GenerationRequest request)
    {
        var limit = 1000;
        if (request.Constraints.MaxHours is int max and > 0)
            limit = Math.Min(limit, max);
        if (request.Profile.WeeklyHours > 0)
            limit = Math.Min(limit, request.Profile.WeeklyHours * 26);
        return Math.Max(1, limit);
    }
}
