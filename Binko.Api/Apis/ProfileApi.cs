using Binko.Api.Extensions;
using Binko.Api.Http;
using Binko.Api.Models;
using Binko.Api.RateLimiting;
using Binko.Data;
using Binko.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Npgsql;

namespace Binko.Api.Apis;

/// <summary>
/// The caller's own profile. The routes carry no user id: the profile is always the token's <c>sub</c>, so one user
/// can never name another's.
/// </summary>
public static class ProfileApi
{
    public static RouteGroupBuilder MapProfileApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/me/profile").WithTags("Profile").RequireUser()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGroup("").RequireRateLimiting(RateLimitPolicies.Reads).MapGet("/", GetProfile)
            .WithName("GetProfile")
            .WithSummary("Get my profile")
            .WithDescription("404 until the first PUT. The ETag header carries the version for If-Match.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGroup("").RequireRateLimiting(RateLimitPolicies.Writes).MapPut("/", PutProfile)
            .WithName("PutProfile")
            .WithSummary("Create or replace my profile")
            .WithDescription("The first PUT creates the profile (201); later ones replace it (200). If-Match is optional " +
                "and, when sent, must name the current version (412 otherwise).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        return api;
    }

    public static async Task<Results<Ok<ProfileResponse>, ProblemHttpResult>> GetProfile(
        CurrentUser user, BinkoDbContext db, HybridCache cache, HttpResponse response, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId;
        var profile = await cache.GetOrCreateAsync(CacheKey(userId),
            async token => await db.Profiles.AsNoTracking().Where(p => p.UserId == userId)
                .Select(p => new ProfileResponse(p.ExperienceLevel, p.Skills, p.Interests, p.WeeklyHours, p.Goals, p.UpdatedAt, p.Version))
                .SingleOrDefaultAsync(token),
            CacheEntries.Profile, tags: [CacheTag(userId)], cancellationToken: cancellationToken);
        if (profile is null)
            return ApiProblems.NotFound("You have no profile yet; PUT one first.");
        response.SetETag(profile.Version);
        return TypedResults.Ok(profile);
    }

    public static async Task<Results<Ok<ProfileResponse>, Created<ProfileResponse>, ValidationProblem, ProblemHttpResult>> PutProfile(
        ProfileRequest request, [FromHeader(Name = "If-Match")] string? ifMatch, CurrentUser user,
        BinkoDbContext db, CacheInvalidator invalidator, HybridCache cache, HttpResponse response, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId;

        var profile = await db.Profiles.SingleOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        var created = profile is null;
        var conditional = !string.IsNullOrWhiteSpace(ifMatch) && ifMatch.Trim() != "*";
        if (conditional && (profile is null || !EntityTags.TryParseIfMatch(ifMatch, out var expected) || expected != profile.Version))
            return ApiProblems.PreconditionFailed("The profile has changed since that version; GET it again and retry.");

        if (profile is null)
        {
            profile = new Profile { UserId = userId };
            db.Profiles.Add(profile);
        }
        profile.ExperienceLevel = request.ExperienceLevel!.Value;
        profile.Skills = IdeasApi.Normalize(request.Skills);
        profile.Interests = IdeasApi.Normalize(request.Interests);
        profile.WeeklyHours = request.WeeklyHours!.Value;
        profile.Goals = string.IsNullOrWhiteSpace(request.Goals) ? null : request.Goals.Trim();
        profile.UpdatedAt = DateTimeOffset.UtcNow;

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApiProblems.PreconditionFailed("The profile changed while you were saving it; GET it again and retry.");
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return ApiProblems.Conflict("Your profile was created by another request at the same time; retry.");
        }

        await invalidator.InvalidateAsync(cache, CacheTag(userId), cancellationToken);
        response.SetETag(profile.Version);
        var body = ProfileResponse.From(profile);
        return created ? TypedResults.Created("/api/v1/me/profile", body) : TypedResults.Ok(body);
    }

    private static string CacheKey(string userId) => $"profile:{userId}";

    private static string CacheTag(string userId) => $"profile:{userId}";
}
