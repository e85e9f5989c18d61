namespace Binko.Data.Entities;

/// <summary>An <c>Idempotency-Key</c> a caller used, the request it came with, and the generation it created.</summary>
public sealed class IdempotencyRecord
{
    public required string OwnerId { get; set; }
    public required string Key { get; set; }

    /// <summary>Hash of the request body: the same key with another body is refused.</summary>
    public required string RequestHash { get; set; }

    public Guid GenerationId { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset ExpiresAt { get; set; }
}
