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
        db.Database.ExecuteSqlAsync($"""
            WITH document AS (
                -- The entity holds the jsonb request as text: it becomes JSON again here.
                SELECT g || jsonb_build_object('request', (g ->> 'request')::jsonb) AS row
                FROM (SELECT {JsonSerializer.Serialize(generation, Json)}::jsonb) AS serialized(g)
            ),
            generation AS (
                INSERT INTO generations SELECT g.* FROM document, jsonb_populate_record(NULL::generations, document.row) AS g
                ON CONFLICT (id) DO NOTHING
            )
            INSERT INTO generated_ideas
            SELECT i.* FROM document, jsonb_populate_recordset(NULL::generated_ideas, document.row -> 'ideas') AS i
            ON CONFLICT (id) DO NOTHING
            """, cancellationToken);
}
