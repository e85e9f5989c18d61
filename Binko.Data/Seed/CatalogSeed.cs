using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Binko.Data.Seed;

/// <summary>
/// The curated source ideas shipped with Binko (Seed/ideas.json). Applying them inserts the ones whose slug
/// is not in the catalog yet, in one statement, so it is idempotent and safe when two instances race.
/// </summary>
public static class CatalogSeed
{
    private const string ResourceName = "Binko.Data.Seed.ideas.json";

    private const string InsertMissing = """
        INSERT INTO ideas (id, slug, title, summary, difficulty, category, tags, skills, estimated_hours, created_at, updated_at)
        SELECT s.id, s.slug, s.title, s.summary, s.difficulty, s.category, s.tags, s.skills, s.estimated_hours, now(), now()
        FROM jsonb_to_recordset({0}::jsonb) AS s(
            id uuid, slug text, title text, summary text, difficulty text, category text,
            tags text[], skills text[], estimated_hours int)
        ON CONFLICT (slug) DO NOTHING
        """;

    /// <summary>Inserts the missing seed ideas and returns how many were inserted.</summary>
    public static Task<int> ApplyAsync(BinkoDbContext db, CancellationToken cancellationToken = default) =>
        db.Database.ExecuteSqlRawAsync(InsertMissing, [WithIds(Load())], cancellationToken);

    /// <summary>The seed ideas as JSON objects (snake_case members, as in the HTTP API).</summary>
    public static IReadOnlyList<JsonElement> Load()
    {
        using var stream = typeof(CatalogSeed).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from Binko.Data.");
        using var document = JsonDocument.Parse(stream);
        return [.. document.RootElement.EnumerateArray().Select(idea => idea.Clone())];
    }

    /// <summary>Time-ordered ids made here, so catalog ids sort by insertion as the API's own do.</summary>
    private static string WithIds(IEnumerable<JsonElement> ideas)
    {
        var rows = ideas.Select(idea =>
        {
            var row = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(idea.GetRawText())!;
            row["id"] = JsonSerializer.SerializeToElement(Guid.CreateVersion7());
            return row;
        });
        return JsonSerializer.Serialize(rows);
    }
}
