using Binko.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Binko.Data.Events;

/// <summary>
/// Stores a batch of product-analytics events with one <c>INSERT ... SELECT FROM unnest(...)</c>: the columns travel as
/// six array parameters, so a batch of any size is one statement and one round trip, and therefore one implicit
/// transaction (every row is stored, or none is).
/// </summary>
public static class EventBatches
{
    /// <summary>Inserts <paramref name="events"/> (their ids are the database's); returns the number of rows stored.</summary>
    public static Task<int> InsertAsync(BinkoDbContext db, IReadOnlyList<ProductEvent> events, CancellationToken cancellationToken)
    {
        var owners = events.Select(e => e.OwnerId).ToArray();
        var names = events.Select(e => e.Name).ToArray();
        var sessions = events.Select(e => e.SessionId).ToArray();
        // Npgsql writes timestamptz only from UTC values.
        var occurred = events.Select(e => e.OccurredAt.ToUniversalTime()).ToArray();
        var received = events.Select(e => e.ReceivedAt.ToUniversalTime()).ToArray();
        var properties = events.Select(e => e.Properties).ToArray();

        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO events (owner_id, name, session_id, occurred_at, received_at, properties)
            SELECT e.owner_id, e.name, e.session_id, e.occurred_at, e.received_at, e.properties::jsonb
            FROM unnest({owners}, {names}, {sessions}, {occurred}, {received}, {properties})
                AS e(owner_id, name, session_id, occurred_at, received_at, properties)
            """, cancellationToken);
    }
}
