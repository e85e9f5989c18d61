using System.Globalization;
using Binko.Api.Http;
using Binko.Api.Models;
using Binko.Data.Quotas;
using Binko.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Binko.Api.Generations;

/// <summary>The HTTP answer for each <see cref="IntakeResult"/>, with quota and Retry-After headers.</summary>
public static class GenerationResults
{
    public const string QuotaRemainingHeader = "X-Quota-Remaining";
    public const string QuotaResetHeader = "X-Quota-Reset";
    private static readonly TimeSpan OverloadRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>About one generation's time: by then one of the caller's is likely to have finished.</summary>
    private static readonly TimeSpan InFlightRetryAfter = TimeSpan.FromSeconds(5);

    public static IResult For(IntakeResult result, Caller caller, HttpResponse response, TimeProvider time) => result switch
    {
        IntakeResult.Queued queued => WithQuota(Accepted(GenerationResponse.From(queued.Generation)), response, time,
            caller.DailyQuota - queued.QuotaUsed),
        IntakeResult.FromCache cached => TypedResults.Ok(GenerationResponse.From(cached.Generation)),
        IntakeResult.Replayed replayed => Current(GenerationResponse.From(replayed.Generation)),
        IntakeResult.KeyReused => ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
            "This Idempotency-Key was used with a different request body; use a new key for a new request.", ErrorCodes.IdempotencyKeyReused),
        IntakeResult.QuotaExceeded exceeded => QuotaExceeded(exceeded.Limit, response, time),
        IntakeResult.Contradictory contradictory => ApiProblems.Validation(contradictory.Errors),
        IntakeResult.TooManyInFlight busy => RetryAfter(response, InFlightRetryAfter, ApiProblems.Problem(StatusCodes.Status429TooManyRequests,
            "Too many generations in flight", $"You already have {busy.Limit} generations queued or running; queue more when one has finished.",
            ErrorCodes.TooManyInFlight)),
        IntakeResult.Overloaded => RetryAfter(response, OverloadRetryAfter, ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable,
            "Too many generations in flight", "Binko is busy generating; try again shortly.", ErrorCodes.Overloaded)),
        _ => throw new InvalidOperationException($"Unknown intake result {result.GetType().Name}."),
    };

    /// <summary>200 with the generation when it has finished, otherwise 202 with its Location.</summary>
    public static IResult Current(GenerationResponse generation) =>
        generation.IsFinished ? TypedResults.Ok(generation) : Accepted(generation);

    public static IResult MalformedIdempotencyKey() => ApiProblems.Validation(IdempotencyKey.HeaderName,
        $"Must be 1–{IdempotencyKey.MaximumLength} visible ASCII characters, sent once.");

    private static Accepted<GenerationResponse> Accepted(GenerationResponse generation) =>
        TypedResults.Accepted($"/api/v1/generations/{generation.Id}", generation);

    private static IResult QuotaExceeded(int limit, HttpResponse response, TimeProvider time)
    {
        var reset = QuotaLedger.ResetsAt(time);
        return WithQuota(RetryAfter(response, reset - time.GetUtcNow(), ApiProblems.Problem(StatusCodes.Status429TooManyRequests,
            "Daily quota exhausted", $"Today's allowance of {limit} generations is spent; it resets at {reset:O}.",
            ErrorCodes.QuotaExceeded)), response, time, 0);
    }

    private static IResult WithQuota(IResult result, HttpResponse response, TimeProvider time, int remaining)
    {
        response.Headers[QuotaRemainingHeader] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture);
        response.Headers[QuotaResetHeader] = QuotaLedger.ResetsAt(time).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return result;
    }

    private static IResult RetryAfter(HttpResponse response, TimeSpan after, IResult result)
    {
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return result;
    }
}
