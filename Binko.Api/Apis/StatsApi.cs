using Binko.Api.Extensions;
using Binko.Api.Learning;
using Binko.Api.Models;
using Binko.Api.RateLimiting;
using Binko.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Hybrid;

namespace Binko.Api.Apis;

/// <summary>
/// Learning statistics: a user's own (<c>/me/stats</c>) and every user's together (<c>/admin/stats</c>), computed by
/// <see cref="LearningStatsQuery"/> and cached for 30 seconds (<see cref="StatsCache"/>).
/// </summary>
public static class StatsApi
{
    public static RouteGroupBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Statistics").RequireRateLimiting(RateLimitPolicies.Reads)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/me/stats", GetMyStats)
            .RequireUser()
            .WithName("GetMyStats")
            .WithSummary("My learning statistics")
            .WithDescription("Over my completed generations: ideas shown, feedback given, approval rate (approved / " +
                "feedback with a verdict) and mean score, in total, per category, per difficulty and per UTC day for the " +
                "last 30 days. `category` restricts every number to the ideas of that category. Cached for 30 s; my " +
                "feedback clears it.");
        api.MapGet("/admin/stats", GetAllStats)
            .RequireAdmin()
            .WithName("GetAdminStats")
            .WithSummary("Every user's learning statistics (admin)")
            .WithDescription("The same numbers as GET /me/stats over all users' completed generations (never guests'), " +
                "plus `users`: the users with at least one. Cached for 30 s.")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        return api;
    }

    public static async Task<Ok<LearningStatsResponse>> GetMyStats(
        [AsParameters] StatsFilter filter,
        CurrentUser user, BinkoDbContext db, HybridCache cache, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId;
        var stats = await cache.GetOrCreateAsync(StatsCache.UserKey(userId, filter.Category),
            token => new ValueTask<LearningStatsResponse>(LearningStatsQuery.ComputeAsync(db, userId, filter.Category, Today(time), token)),
            CacheEntries.Stats, tags: [StatsCache.UserTag(userId), StatsCache.AllTag], cancellationToken: cancellationToken);
        return TypedResults.Ok(stats);
    }

    public static async Task<Ok<LearningStatsResponse>> GetAllStats(
        [AsParameters] StatsFilter filter,
        BinkoDbContext db, HybridCache cache, TimeProvider time, CancellationToken cancellationToken)
    {
        var stats = await cache.GetOrCreateAsync(StatsCache.AllUsersKey(filter.Category),
            token => new ValueTask<LearningStatsResponse>(LearningStatsQuery.ComputeAsync(db, null, filter.Category, Today(time), token)),
            CacheEntries.Stats, tags: [StatsCache.AllTag], cancellationToken: cancellationToken);
        return TypedResults.Ok(stats);
    }

    private static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
