using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Binko.Data.Entities;
using Binko.Tests.Infrastructure;
using Binko.Tests.Protection;
using Microsoft.EntityFrameworkCore;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

/// <summary>
/// <c>POST /api/v1/events</c> against real Postgres and Redis. Every test sends as its own user (or guest IP) and reads
/// back only that owner's rows; the body-size tests run on Kestrel, since the in-memory server enforces no body limit.
/// </summary>
public sealed class EventsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Route = "/api/v1/events";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_of_100_events_is_stored_with_its_owner_names_sessions_timestamps_and_properties()
    {
        var user = Unique("events-user");
        using var client = api.CreateClient().WithToken(TestTokens.User(user));
        var session = Unique("session");
        // Whole seconds: Postgres keeps microseconds, .NET ticks are finer.
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeSeconds());
        // Some timestamps carry an offset, to show they are stored as the instant they name.
        var sent = Enumerable.Range(0, 100).Select(i => new
        {
            Name = $"step_{i}",
            At = start.AddSeconds(i).ToOffset(TimeSpan.FromHours(i % 3 - 1)),
            Properties = i == 0 ? null : new JsonObject { ["position"] = i, ["source"] = "search", ["tags"] = new JsonArray("a", "b") },
        }).ToList();
        var before = DateTimeOffset.UtcNow;

        using var response = await client.PostAsJsonAsync(Route,
            new { events = sent.Select(e => Event(e.Name, session, e.At, e.Properties)) }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(100, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accepted").GetInt32());
        var rows = (await RowsAsync($"user:{user}")).ToDictionary(row => row.Name);
        Assert.Equal(100, rows.Count);
        foreach (var expected in sent)
        {
            var row = rows[expected.Name];
            Assert.Equal(session, row.SessionId);
            Assert.Equal(expected.At.UtcDateTime, row.OccurredAt.UtcDateTime);
            Assert.InRange(row.ReceivedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
            Assert.True(JsonNode.DeepEquals(expected.Properties ?? new JsonObject(), JsonNode.Parse(row.Properties)),
                $"{expected.Name}: {row.Properties}");
        }
    }

    [Fact]
    public async Task A_batch_of_101_events_is_400_on_events_and_stores_nothing()
    {
        var user = Unique("too-many");
        using var client = api.CreateClient().WithToken(TestTokens.User(user));

        using var response = await client.PostAsJsonAsync(Route, Batch(101), Ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", "events");
        Assert.Empty(await RowsAsync($"user:{user}"));
    }

    [Fact]
    public async Task An_empty_batch_is_400_on_events()
    {
        using var client = api.CreateClient().WithToken(TestTokens.User(Unique("empty")));

        using var response = await client.PostAsJsonAsync(Route, new { events = Array.Empty<object>() }, Ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", "events");
    }

    [Fact]
    public async Task One_bad_name_among_100_events_is_400_naming_that_event_and_stores_nothing()
    {
        var user = Unique("one-bad");
        using var client = api.CreateClient().WithToken(TestTokens.User(user));
        var batch = Batch(100);
        batch.Events[57]["name"] = "Idea Viewed";

        using var response = await client.PostAsJsonAsync(Route, batch, Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", "events[57].name");
        Assert.Single(problem.GetProperty("errors").EnumerateObject());
        Assert.Empty(await RowsAsync($"user:{user}"));
    }

    [Theory]
    [InlineData("properties over 4 KiB", "properties")]
    [InlineData("properties an array", "properties")]
    [InlineData("properties a string", "properties")]
    [InlineData("timestamp 6 minutes ahead", "timestamp")]
    [InlineData("timestamp 8 days old", "timestamp")]
    [InlineData("timestamp without an offset", "timestamp")]
    [InlineData("timestamp a date alone", "timestamp")]
    [InlineData("timestamp missing", "timestamp")]
    [InlineData("session_id missing", "session_id")]
    [InlineData("session_id of 101 characters", "session_id")]
    [InlineData("name missing", "name")]
    [InlineData("name of 101 characters", "name")]
    [InlineData("name starting with '_'", "name")]
    public async Task An_invalid_event_is_400_naming_its_field_and_the_batch_stores_nothing(string defect, string field)
    {
        var user = Unique("invalid");
        using var client = api.CreateClient().WithToken(TestTokens.User(user));
        var batch = Batch(3);
        Break(batch.Events[1], defect);

        using var response = await client.PostAsJsonAsync(Route, batch, Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", $"events[1].{field}");
        Assert.Single(problem.GetProperty("errors").EnumerateObject());
        Assert.Empty(await RowsAsync($"user:{user}"));
    }

    [Fact]
    public async Task Every_offending_field_of_every_event_is_listed()
    {
        using var client = api.CreateClient().WithToken(TestTokens.User(Unique("many-defects")));
        var batch = Batch(5);
        Break(batch.Events[0], "name missing");
        Break(batch.Events[0], "properties an array");
        Break(batch.Events[2], "timestamp 8 days old");
        Break(batch.Events[4], "session_id missing");
        Break(batch.Events[4], "properties over 4 KiB");

        using var response = await client.PostAsJsonAsync(Route, batch, Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(new[] { "events[0].name", "events[0].properties", "events[2].timestamp", "events[4].properties", "events[4].session_id" },
            problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Properties_of_exactly_4_KiB_are_accepted_and_absent_properties_are_stored_as_an_empty_object()
    {
        var user = Unique("edge");
        using var client = api.CreateClient().WithToken(TestTokens.User(user));
        var batch = Batch(2);
        batch.Events[0]["properties"] = PropertiesOfSize(4096);
        batch.Events[1].Remove("properties");

        using var response = await client.PostAsJsonAsync(Route, batch, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var rows = (await RowsAsync($"user:{user}")).ToDictionary(row => row.Name);
        Assert.Equal(4096 - """{"text":""}""".Length, JsonNode.Parse(rows["step_0"].Properties)!["text"]!.GetValue<string>().Length);
        Assert.Equal("{}", rows["step_1"].Properties);
    }

    [Fact]
    public async Task Guests_may_send_events_and_own_them_by_client_ip()
    {
        await using var guests = new ProtectedApi(ProtectionSettings.For(api.Infrastructure, api.DatabaseConnectionString),
            IPAddress.Parse("203.0.113.61"));
        using var client = guests.CreateClient();

        using var response = await client.PostAsJsonAsync(Route, Batch(3), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(3, (await RowsAsync("guest:203.0.113.61")).Count);
    }

    [Fact]
    public async Task A_batch_is_one_insert_statement_so_a_row_the_database_refuses_leaves_none_stored()
    {
        const string refusedSession = "refused-by-the-database";
        await using (var db = api.Infrastructure.CreateDbContext(api.DatabaseConnectionString))
            await db.Database.ExecuteSqlRawAsync(
                $"ALTER TABLE events ADD CONSTRAINT events_test_refused CHECK (session_id <> '{refusedSession}')", Ct);
        var user = Unique("atomic");
        using var client = api.CreateClient().WithToken(TestTokens.User(user));
        var batch = Batch(100);
        batch.Events[99]["session_id"] = refusedSession;
        using var statements = new InsertStatements();

        using var refused = await client.PostAsJsonAsync(Route, batch, Ct);
        using var accepted = await client.PostAsJsonAsync(Route, Batch(100), Ct);

        // The refusal is the database's (the request was valid), so a 500; none of the batch's 99 acceptable rows stayed.
        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(100, (await RowsAsync($"user:{user}")).Count);
        Assert.Equal(2, statements.Count);
    }

    [Fact]
    public async Task The_route_accepts_bodies_up_to_512_KiB_while_other_routes_keep_64_KiB()
    {
        await using var kestrel = ProtectedApi.OnKestrel(ProtectionSettings.For(api.Infrastructure, api.DatabaseConnectionString));
        kestrel.StartServer();
        var user = Unique("big-batch");
        using var client = kestrel.CreateClient().WithToken(TestTokens.User(user));
        var large = Batch(100);
        foreach (var e in large.Events)
            e["properties"] = PropertiesOfSize(3000);
        var largeBody = JsonSerializer.Serialize(large);
        var oversized = Batch(1);
        oversized.Events[0]["properties"] = PropertiesOfSize(600 * 1024);
        var profile = $$"""{"experience_level":"beginner","goals":"{{new string('x', 65 * 1024)}}"}""";

        using var accepted = await client.PostAsync(Route, Json(largeBody), Ct);
        using var tooLarge = await client.PostAsync(Route, Json(JsonSerializer.Serialize(oversized)), Ct);
        using var otherRoute = await client.PutAsync("/api/v1/me/profile", Json(profile), Ct);

        Assert.InRange(Encoding.UTF8.GetByteCount(largeBody), 290 * 1024, 320 * 1024);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(100, (await RowsAsync($"user:{user}")).Count);
        await AssertProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        await AssertProblemAsync(otherRoute, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task Batches_are_rate_limited_by_the_feedback_policy()
    {
        const int window = 3600;
        await ProtectionSettings.EnsureWindowRoomAsync(window, TimeSpan.FromSeconds(30));
        await using var limited = new ProtectedApi(ProtectionSettings.For(api.Infrastructure, api.DatabaseConnectionString,
            ("RateLimiting:Policies:Feedback:PermitLimit", "2"), ("RateLimiting:Policies:Feedback:WindowSeconds", $"{window}")));
        var user = Unique("chatty");
        using var client = limited.CreateClient().WithToken(TestTokens.User(user));

        using var first = await client.PostAsJsonAsync(Route, Batch(1), Ct);
        using var second = await client.PostAsJsonAsync(Route, Batch(1), Ct);
        using var third = await client.PostAsJsonAsync(Route, Batch(1), Ct);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal($"2;w={window}", RateLimitHeaders.Policy(first));
        await AssertProblemAsync(third, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(2, (await RowsAsync($"user:{user}")).Count);
    }

    /// <summary>A valid event as clients send it (snake_case).</summary>
    private static Dictionary<string, object?> Event(string name, string session, DateTimeOffset at, object? properties = null)
    {
        var e = new Dictionary<string, object?> { ["name"] = name, ["timestamp"] = at.ToString("O"), ["session_id"] = session };
        if (properties is not null)
            e["properties"] = properties;
        return e;
    }

    /// <summary><paramref name="count"/> valid events, <c>step_0</c>, <c>step_1</c>... of one session, a minute ago.</summary>
    private static EventBatch Batch(int count)
    {
        var session = Unique("session");
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        return new EventBatch([.. Enumerable.Range(0, count).Select(i => Event($"step_{i}", session, at, new { position = i }))]);
    }

    private sealed record EventBatch([property: JsonPropertyName("events")] List<Dictionary<string, object?>> Events);

    private static void Break(Dictionary<string, object?> e, string defect)
    {
        var now = DateTimeOffset.UtcNow;
        switch (defect)
        {
            case "properties over 4 KiB": e["properties"] = PropertiesOfSize(4097); break;
            case "properties an array": e["properties"] = new[] { 1, 2 }; break;
            case "properties a string": e["properties"] = "clicked"; break;
            case "timestamp 6 minutes ahead": e["timestamp"] = now.AddMinutes(6).ToString("O"); break;
            case "timestamp 8 days old": e["timestamp"] = now.AddDays(-8).ToString("O"); break;
            case "timestamp without an offset": e["timestamp"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss"); break;
            case "timestamp a date alone": e["timestamp"] = now.ToString("yyyy-MM-dd"); break;
            case "timestamp missing": e.Remove("timestamp"); break;
            case "session_id missing": e.Remove("session_id"); break;
            case "session_id of 101 characters": e["session_id"] = new string('s', 101); break;
            case "name missing": e.Remove("name"); break;
            case "name of 101 characters": e["name"] = new string('n', 101); break;
            case "name starting with '_'": e["name"] = "_private"; break;
            default: throw new ArgumentOutOfRangeException(nameof(defect), defect, "Not a defect these tests know.");
        }
    }

    /// <summary>A JSON object whose compact JSON is exactly <paramref name="bytes"/> bytes: <c>{"text":"xxx..."}</c>.</summary>
    private static JsonObject PropertiesOfSize(int bytes) => new() { ["text"] = new string('x', bytes - """{"text":""}""".Length) };

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Counts the <c>INSERT INTO events</c> statements Npgsql sends (from its trace activities) while it lives.
    /// Only this test class inserts events, and its tests run one at a time.</summary>
    private sealed class InsertStatements : IDisposable
    {
        private readonly ActivityListener _listener;
        private int _count;

        public InsertStatements()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.TagObjects.Any(tag => tag.Value is string text && text.Contains("INSERT INTO events")))
                        Interlocked.Increment(ref _count);
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    private async Task<List<ProductEvent>> RowsAsync(string ownerId)
    {
        await using var db = api.Infrastructure.CreateDbContext(api.DatabaseConnectionString);
        return await db.Events.AsNoTracking().Where(e => e.OwnerId == ownerId).ToListAsync(Ct);
    }
}
