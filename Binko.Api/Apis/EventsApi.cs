using Binko.Api.Generations;
using Binko.Api.Models;
using Binko.Api.RateLimiting;
using Binko.Data;
using Binko.Data.Entities;
using Binko.Data.Events;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Binko.Api.Apis;

/// <summary>Product-analytics events (funnel steps): users and guests send them in batches, Binko stores them for analysis.</summary>
public static class EventsApi
{
    /// <summary>512 KiB for this route only: a full batch (100 events with up to 4 KiB of properties each) does not fit
    /// the server-wide 64 KiB of <c>Limits:MaxRequestBodyBytes</c>.</summary>
    public const long MaximumBodyBytes = 512 * 1024;

    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/events").WithTags("Events").RequireRateLimiting(RateLimitPolicies.Feedback);

        // Routing applies IRequestSizeLimitMetadata to the server's IHttpMaxRequestBodySizeFeature before the body is read.
        api.MapPost("/", RecordEvents)
            .WithName("RecordEvents")
            .WithSummary("Record a batch of product-analytics events")
            .WithDescription("1 to 100 events, stored all together or not at all; a 400 names every offending field, e.g. " +
                "`events[3].name`. The body may be up to 512 KiB.")
            .WithMetadata(new RequestSizeLimitAttribute(MaximumBodyBytes))
            .Produces<EventBatchResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        return api;
    }

    public static async Task<Accepted<EventBatchResponse>> RecordEvents(EventBatchRequest request, Caller caller, BinkoDbContext db,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var receivedAt = time.GetUtcNow();
        var events = request.Events!.Select(input => ToEvent(input, caller.OwnerId, receivedAt)).ToList();
        var stored = await EventBatches.InsertAsync(db, events, cancellationToken);
        return TypedResults.Accepted((string?)null, new EventBatchResponse(stored));
    }

    /// <summary>What a client may set, and what Binko adds; the validation filter has already checked the input.</summary>
    private static ProductEvent ToEvent(EventInput input, string ownerId, DateTimeOffset receivedAt) => new()
    {
        OwnerId = ownerId,
        Name = input.Name!,
        SessionId = input.SessionId!,
        OccurredAt = Rfc3339.Parse(input.Timestamp!),
        ReceivedAt = receivedAt,
        Properties = input.Properties?.GetRawText() ?? "{}",
    };
}
