// The baseline of bench/ideas-list.sh: GET /ideas runs the SQL Binko.Api's ListIdeas sends for a first page
// (EF Core's translation, read from the Postgres log) through an NpgsqlDataSource and answers the same JSON shape
// (snake_case, 20 items and next_cursor). No request logging, no request ids, no telemetry, no EF Core, no cache:
// only what a bare minimal API needs. The connection string comes from ConnectionStrings__binkodb; logging is at Warning.
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var connectionString = builder.Configuration.GetConnectionString("binkodb")
    ?? throw new InvalidOperationException("Set ConnectionStrings__binkodb.");
builder.Services.AddSingleton(NpgsqlDataSource.Create(connectionString));
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);

var app = builder.Build();

const string Sql = """
    SELECT i.id, i.slug, i.title, i.summary, i.difficulty, i.category, i.tags, i.skills, i.estimated_hours, i.created_at, i.updated_at, i.xmin
    FROM ideas AS i
    ORDER BY i.id
    LIMIT $1
    """;

app.MapGet("/ideas", async (int? limit, NpgsqlDataSource db, CancellationToken cancellationToken) =>
{
    var pageSize = limit ?? 20;
    if (pageSize is < 1 or > 100)
        return Results.BadRequest();

    await using var command = db.CreateCommand(Sql);
    command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pageSize + 1 });
    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
    var rows = new List<Idea>(pageSize + 1);
    while (await reader.ReadAsync(cancellationToken))
    {
        rows.Add(new Idea(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetString(5), reader.GetFieldValue<string[]>(6), reader.GetFieldValue<string[]>(7), reader.GetInt32(8),
            reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10), reader.GetFieldValue<uint>(11)));
    }

    var more = rows.Count > pageSize;
    var items = more ? rows.GetRange(0, pageSize) : rows;
    return Results.Ok(new IdeaPage(items, more ? Cursor(items[^1].Id) : null));
});

// With --urls http://127.0.0.1:0 the port is the kernel's choice: say which one (the bench script waits for this line).
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"BareIdeas listening on {string.Join(' ', app.Urls)}"));
app.Run();

// Binko's opaque cursor for browsing (IdeaCursor): kind byte 1, then the id big-endian, base64url.
static string Cursor(Guid afterId)
{
    Span<byte> bytes = stackalloc byte[17];
    bytes[0] = 1;
    afterId.TryWriteBytes(bytes[1..], bigEndian: true, out _);
    return WebEncoders.Base64UrlEncode(bytes);
}

internal sealed record Idea(Guid Id, string Slug, string Title, string Summary, string Difficulty, string Category,
    string[] Tags, string[] Skills, int EstimatedHours, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, uint Version);

internal sealed record IdeaPage(IReadOnlyList<Idea> Items, string? NextCursor);
