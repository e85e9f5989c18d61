using Binko.Api.Extensions;
using Binko.Api.Generations;
using Binko.Api.Http;
using Binko.Api.Models;
using Binko.Api.RateLimiting;
using Binko.Data;
using Binko.Data.Generations;
using Binko.Data.Quotas;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Binko.Api.Apis;

/// <summary>
/// Generations: users and guests queue them (202, or 200 from the cache) and read their own; the synchronous
/// <c>POST /generate</c> is Binko.ai's original contract.
/// </summary>
public static class GenerationsApi
{
    private const int DefaultPageSize = 20;
    private const int MaximumPageSize = 50;

    public static RouteGroupBuilder MapGenerationsApi(this IEndpointRouteBuilder app)
    {
        var create = app.MapGroup("").WithTags("Generations").RequireRateLimiting(RateLimitPolicies.Generation);
        create.WithRequestTimeout(RequestTimeoutPolicies.Generation);
        create.MapPost("/generations", CreateGeneration)
            .WithName("CreateGeneration")
            .WithSummary("Queue a generation")
            .WithDescription("202 with Location while the worker generates, or 200 when an identical request is in the " +
                "cache. Honours Idempotency-Key: the same key and body give the same generation; another body is 422.")
            .Produces<GenerationResponse>(StatusCodes.Status202Accepted)
            .Produces<GenerationResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        create.MapPost("/generate", Generate)
            .WithName("Generate")
            .WithSummary("Generate and wait")
            .WithDescription("Queues like POST /generations, then waits for the ideas; after Generation:SyncWaitSeconds it " +
                "answers 202 with the job's Location instead of failing. A caller already holding Generation:MaxWaitsPerCaller " +
                "waits gets that 202 at once.")
            .Produces<GenerationResponse>()
            .Produces<GenerationResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem();

        var read = app.MapGroup("/generations").WithTags("Generations").RequireRateLimiting(RateLimitPolicies.Reads);
        // A long-poll waits up to Generation:MaxWaitSeconds: the default timeout would cut a full wait short with a 504.
        read.MapGet("/{id:guid}", GetGeneration)
            .WithName("GetGeneration")
            .WithSummary("Get one of my generations")
            .WithDescription("`?wait=seconds` (up to Generation:MaxWaitSeconds) long-polls until it completes or fails. " +
                "A caller already holding Generation:MaxWaitsPerCaller waits gets the current state at once. " +
                "Another caller's generation answers 404.")
            .Produces<GenerationResponse>()
            .Produces<GenerationResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithRequestTimeout(RequestTimeoutPolicies.Generation);
        read.MapGet("/", ListGenerations)
            .WithName("ListGenerations")
            .WithSummary("List my generations, newest first")
            .RequireUser();

        app.MapGet("/me/quota", GetQuota)
            .WithTags("Generations")
            .WithName("GetQuota")
            .WithSummary("My generation allowance today")
            .RequireRateLimiting(RateLimitPolicies.Reads);

        return create;
    }

    public static async Task<IResult> CreateGeneration(GenerationCreateRequest request, HttpContext context, Caller caller,
        BinkoDbContext db, GenerationIntake intake, TimeProvider time, CancellationToken cancellationToken)
    {
        var accepted = await AcceptAsync(request, context, caller, db, intake, cancellationToken);
        return accepted.Result ?? GenerationResults.For(accepted.Intake!, caller, context.Response, time);
    }

    public static async Task<IResult> Generate(GenerationCreateRequest request, HttpContext context, Caller caller,
        BinkoDbContext db, GenerationIntake intake, GenerationReader reader, IOptions<GenerationOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var accepted = await AcceptAsync(request, context, caller, db, intake, cancellationToken);
        if (accepted.Result is { } refused)
            return refused;
        var immediate = GenerationResults.For(accepted.Intake!, caller, context.Response, time);
        if (accepted.Intake is not IntakeResult.WithGeneration { Generation: var generation } || GenerationResponse.From(generation).IsFinished)
            return immediate;

        var finished = await reader.WaitAsync(caller, generation.Id, TimeSpan.FromSeconds(options.Value.SyncWaitSeconds), cancellationToken);
        return GenerationResults.Current(GenerationResponse.From(finished!));
    }

    public static async Task<IResult> GetGeneration(Guid id, int? wait, Caller caller, GenerationReader reader,
        IOptions<GenerationOptions> options, CancellationToken cancellationToken)
    {
        var maximum = options.Value.MaxWaitSeconds;
        if (wait is { } seconds && (seconds < 0 || seconds > maximum))
            return ApiProblems.Validation("wait", $"Must be between 0 and {maximum} seconds.");
        var generation = wait is > 0
            ? await reader.WaitAsync(caller, id, TimeSpan.FromSeconds(wait.Value), cancellationToken)
            : await reader.FindAsync(caller, id, cancellationToken);
        return generation is null
            ? ApiProblems.NotFound($"You have no generation with id {id}.")
            : GenerationResults.Current(GenerationResponse.From(generation));
    }

    public static async Task<Results<Ok<GenerationPage>, ValidationProblem>> ListGenerations(int? limit, string? cursor,
        Caller caller, GenerationReader reader, CancellationToken cancellationToken)
    {
        var pageSize = limit ?? DefaultPageSize;
        if (pageSize is < 1 or > MaximumPageSize)
            return ApiProblems.Validation("limit", $"Must be between 1 and {MaximumPageSize}.");
        Guid? before = null;
        if (cursor is not null)
        {
            if (!TryDecodeCursor(cursor, out var decoded))
                return ApiProblems.Validation("cursor", "Not a cursor from this listing; pass back next_cursor unchanged.");
            before = decoded;
        }

        var rows = await reader.ListAsync(caller, before, pageSize + 1, cancellationToken);
        var page = rows.Take(pageSize).Select(GenerationResponse.From).ToList();
        var next = rows.Count > pageSize ? WebEncoders.Base64UrlEncode(page[^1].Id.ToByteArray(bigEndian: true)) : null;
        return TypedResults.Ok(new GenerationPage(page, next));
    }

    public static async Task<Ok<QuotaResponse>> GetQuota(Caller caller, BinkoDbContext db, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var used = await QuotaLedger.UsedAsync(db, caller.OwnerId, QuotaLedger.Today(time), cancellationToken);
        return TypedResults.Ok(new QuotaResponse(caller.Plan, used, caller.DailyQuota, Math.Max(0, caller.DailyQuota - used),
            QuotaLedger.ResetsAt(time)));
    }

    /// <summary>Shared by both POST routes: header and profile checks, then the intake.</summary>
    private static async Task<(IResult? Result, IntakeResult? Intake)> AcceptAsync(GenerationCreateRequest request,
        HttpContext context, Caller caller, BinkoDbContext db, GenerationIntake intake, CancellationToken cancellationToken)
    {
        if (!IdempotencyKey.TryRead(context.Request, out var key))
            return (GenerationResults.MalformedIdempotencyKey(), null);

        ProfileSnapshot profile;
        if (request.Profile is { } inline)
            profile = GenerationRequests.Snapshot(inline);
        else if (caller.UserId is { } userId && await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, cancellationToken) is { } saved)
            profile = GenerationRequests.Snapshot(saved);
        else
            return (ApiProblems.Validation("profile", caller.IsGuest
                ? "Required: describe yourself (at least experience_level)."
                : "Required: send one, or save yours first with PUT /api/v1/me/profile."), null);

        var normalized = GenerationRequests.Normalize(profile, request.NumIdeas!.Value, request.Constraints);
        return (null, await intake.AcceptAsync(caller, normalized, key, cancellationToken));
    }

    private static bool TryDecodeCursor(string cursor, out Guid id)
    {
        id = default;
        try
        {
            var bytes = WebEncoders.Base64UrlDecode(cursor);
            if (bytes.Length != 16)
                return false;
            id = new Guid(bytes, bigEndian: true);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
