using Binko.Api.Extensions;
using Binko.Api.Generations;
using Binko.Api.Http;
using Binko.Api.Learning;
using Binko.Api.Models;
using Binko.Api.RateLimiting;
using Binko.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;

namespace Binko.Api.Apis;

/// <summary>
/// Feedback on the ideas of one's own generations: one row per idea and user, merged on every write. It is what the
/// worker learns from (the next prompt, the catalog ranking) and what the learning statistics count; a write drops the
/// caller's cached statistics.
/// </summary>
public static class FeedbackApi
{
    public static RouteHandlerBuilder MapFeedbackApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/generations/{id:guid}/feedback", GiveFeedback)
            .WithTags("Feedback")
            .WithName("GiveFeedback")
            .WithSummary("Rate one idea of my generation")
            .WithDescription("`approved`, `score` (0–10), `comment` (≤ 2000), `saved`, `started`: at least one. The first " +
                "feedback on an idea answers 201, later ones update it (200) and keep the signals they leave out. " +
                "Another user's generation or an idea not in it answers 404.")
            .RequireUser()
            .RequireRateLimiting(RateLimitPolicies.Feedback)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

    public static async Task<Results<Created<FeedbackResponse>, Ok<FeedbackResponse>, ValidationProblem, ProblemHttpResult>> GiveFeedback(
        Guid id, FeedbackRequest request, Caller caller, BinkoDbContext db, CacheInvalidator invalidator, HybridCache cache,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (!request.HasSignal)
            return ApiProblems.Validation("approved", "Give at least one of approved, score, comment, saved or started.");
        var ideaId = request.IdeaId!.Value;
        if (!await db.Generations.OwnedWithIdea(caller, id, ideaId).AnyAsync(cancellationToken))
            return ApiProblems.NotFound($"You have no generation {id} with an idea {ideaId}.");

        var feedback = await FeedbackStore.MergeAsync(db, caller.UserId!, ideaId, request, time.GetUtcNow(), cancellationToken);
        await invalidator.InvalidateAsync(cache, StatsCache.UserTag(caller.UserId!), cancellationToken);
        var response = FeedbackResponse.From(feedback);
        return feedback.CreatedAt == feedback.UpdatedAt ? TypedResults.Created((string?)null, response) : TypedResults.Ok(response);
    }
}
