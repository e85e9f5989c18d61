namespace Binko.Data.Entities;

/// <summary>One product-analytics event a client sent (a funnel step such as "idea_viewed"), kept for analysis.</summary>
public sealed class ProductEvent
{
    public long Id { get; set; }

    /// <summary>"user:&lt;sub&gt;" or "guest:&lt;client&gt;": who sent it.</summary>
    public required string OwnerId { get; set; }

    public required string Name { get; set; }
    public required string SessionId { get; set; }

    /// <summary>When it happened, by the client's clock.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>When the API stored it, by the server's clock.</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>A JSON object of at most 4 KiB.</summary>
    public required string Properties { get; set; }
}
