using Binko.Api.Extensions;
using Binko.Api.Generations;
using Binko.Api.Http;
using Binko.Api.Models;
using Binko.Api.RateLimiting;
using Binko.Data;
using Binko.Data.Generations;
using Microsoft.EntityFrameworkCore;

namespace Binko.Api.Apis;

/// <summary>
/// Refinement: a new version of one idea of the caller's generation, following an instruction. It is a generation of
/// one idea through the same durable queue, quota, idempotency and backpressure, for the same person and constraints
/// as the original; its idea's <c>refined_from_id</c> links it to the idea it revises.
/// </summary>
public static class RefineApi
{
    public static IEndpointConventionBuilder MapRefineApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/generations/{id:guid}/ideas/{ideaId:guid}/refine", Refine)
            .WithTags("Generations")
            .WithName("RefineIdea")
            .WithSummary("Queue a refined version of one idea")
            .WithDescription("202 with the Location of a new generation holding one idea, linked by refined_from_id. Spends a " +
                "quota unit like a generation and honours Idempotency-Key. Another caller's generation, or an idea not in it, " +
                "answers 404.")
            .Produces<GenerationResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(RateLimitPolicies.Generation)
            .WithRequestTimeout(RequestTimeoutPolicies.Generation);

    public static async Task<IResult> Refine(Guid id, Guid ideaId, RefineRequest request, HttpContext context, Caller caller,
        BinkoDbContext db, GenerationIntake intake, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!IdempotencyKey.TryRead(context.Request, out var key))
            return GenerationResults.MalformedIdempotencyKey();

        var original = await db.Generations.OwnedWithIdea(caller, id, ideaId).Select(g => g.Request)
            .SingleOrDefaultAsync(cancellationToken);
        if (original is null)
            return ApiProblems.NotFound($"You have no generation {id} with an idea {ideaId}.");

        var refinement = GenerationRequest.FromJson(original) with
        {
            NumIdeas = 1,
            Refinement = new RefinementRequest(ideaId, request.Instruction!.Trim()),
        };
        return GenerationResults.For(await intake.AcceptAsync(caller, refinement, key, cancellationToken), caller, context.Response, time);
    }
}
