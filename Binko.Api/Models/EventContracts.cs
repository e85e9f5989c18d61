using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Binko.Api.Models;

/// <summary>A batch of 1 to 100 product-analytics events, stored all together or not at all.</summary>
public sealed record EventBatchRequest
{
    [Required, MinLength(1), MaxLength(100)]
    public List<EventInput>? Events { get; init; }
}

/// <summary>One funnel step as a client saw it. Binko adds who sent it and when it arrived.</summary>
public sealed record EventInput
{
    [Required, StringLength(100), RegularExpression("^[a-z0-9][a-z0-9_.:-]*$",
        ErrorMessage = "Use lowercase letters, digits, '_', '.', ':' and '-', starting with a letter or digit.")]
    public string? Name { get; init; }

    /// <summary>When it happened, by the client's clock: RFC 3339 with an offset.</summary>
    [Required, RecentTimestamp]
    public string? Timestamp { get; init; }

    [Required, StringLength(100)]
    public string? SessionId { get; init; }

    /// <summary>Free-form details; stored as <c>{}</c> when absent.</summary>
    [JsonObjectSize(4096)]
    public JsonElement? Properties { get; init; }
}

/// <summary>How many events of the batch were stored.</summary>
public sealed record EventBatchResponse(int Accepted);
