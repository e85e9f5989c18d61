using System.Text.Json;
using System.Text.Json.Serialization;
using Binko.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Binko.Data.Generations;

/// <summary>
/// Writes generations and their ideas as JSON that Postgres reads back as rows of the tables
/// (<c>jsonb_populate_recordset(NULL::generated_ideas, …)</c>): a whole generation in one statement and one round
/// trip, without change tracking. The JSON names are the columns' (snake_case) and enums are their stored words.
/// </summary>
public static class GenerationRows
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The ideas as a JSON array of <c>generated_ideas</c> rows.</summary>
    internal static string IdeasJson(IEnumerable<GeneratedIdea> ideas) => JsonSerializer.Serialize(ideas, Json);

    /// <summary>
    /// Inserts <paramref name="generation"/> and its ideas in one statement. Running it again changes nothing (rows
    /// whose id is there are skipped), so a retry after a commit whose reply was lost stores them once.
    /// </summary>
    public static Task InsertAsync(BinkoDbContext db, Generation generation, CancellationToken cancellationToken) =>
        TryInsertAsync(db, generation, maxInFlight: null, unlessShown: false, cancellationToken);

    /// <summary>
    /// Inserts a queued job unless its owner already has <paramref name="maxInFlight"/> queued or running ones; false
    /// (nothing written) then. Exact under concurrency when the caller holds a lock that serialises the owner's intakes
    /// (the quota reservation's row lock, taken earlier in the same transaction): this statement's snapshot then sees
    /// every job the owner's earlier requests committed.
    /// </summary>
    public static Task<bool> TryQueueAsync(BinkoDbContext db, Generation generation, int maxInFlight, CancellationToken cancellationToken) =>
        TryInsertAsync(db, generation, maxInFlight, unlessShown: false, cancellationToken);

    /// <summary>
    /// Inserts a generation served from the response cache, with its ideas; when <paramref name="unlessShown"/>, only if
    /// none of its titles is among the owner's <see cref="ShownTitles"/> (false, nothing written, otherwise). The check
    /// is part of the insert, so a cache hit stays one statement.
    /// </summary>
    public static Task<bool> TryInsertFromCacheAsync(BinkoDbContext db, Generation generation, bool unlessShown,
        CancellationToken cancellationToken) =>
        TryInsertAsync(db, generation, maxInFlight: null, unlessShown, cancellationToken);

    /// <summary>The one statement: the conditions are CASE expressions, so a condition that is off costs nothing.</summary>
    private static async Task<bool> TryInsertAsync(BinkoDbContext db, Generation generation, int? maxInFlight, bool unlessShown,
        CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<int>($"""
            WITH document AS (
                -- The entity holds the jsonb request as text: it becomes JSON again here.
                SELECT g || jsonb_build_object('request', (g ->> 'request')::jsonb) AS row
                FROM (SELECT {JsonSerializer.Serialize(generation, Json)}::jsonb) AS serialized(g)
            ),
            admitted AS (
                SELECT document.row FROM document
                WHERE CASE WHEN {maxInFlight}::int IS NULL THEN true ELSE (
                        SELECT count(*) FROM generations
                        WHERE owner_id = {generation.OwnerId} AND status IN ('queued', 'running')) < {maxInFlight}::int END
                  AND CASE WHEN NOT {unlessShown} THEN true ELSE NOT EXISTS (
                        SELECT 1
                        FROM (SELECT i.title FROM generations o JOIN generated_ideas i ON i.generation_id = o.id
                              WHERE o.owner_id = {generation.OwnerId}
                              ORDER BY o.id DESC, i.position
                              LIMIT {ShownTitles.Window}) AS shown,
                             jsonb_array_elements(document.row -> 'ideas') AS idea(value)
                        WHERE lower(btrim(shown.title)) = lower(btrim(idea.value ->> 'title'))) END
            ),
            generation AS (
                INSERT INTO generations SELECT g.* FROM admitted, jsonb_populate_record(NULL::generations, admitted.row) AS g
                ON CONFLICT (id) DO NOTHING
            ),
            ideas AS (
                INSERT INTO generated_ideas
                SELECT i.* FROM admitted, jsonb_populate_recordset(NULL::generated_ideas, admitted.row -> 'ideas') AS i
                ON CONFLICT (id) DO NOTHING
            )
            SELECT count(*)::int AS "Value" FROM admitted
            """).ToListAsync(cancellationToken))[0] == 1;
}
