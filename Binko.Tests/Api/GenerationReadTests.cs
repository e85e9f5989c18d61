using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Api.Generations;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

/// <summary>Reading generations back: ownership, long-polling, the synchronous form and listing. The worker is
/// played by <see cref="QueueDriver"/>, which goes through the real queue.</summary>
public sealed class GenerationReadTests(TestInfrastructure infrastructure) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private string _database = "";
    private ApiFactory _api = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await infrastructure.CreateMigratedDatabaseAsync();
        var settings = ServiceSettings.For(infrastructure, _database);
        settings["Generation:SyncWaitSeconds"] = "20";
        // Listing needs more of one caller's generations queued at once than a free caller may have in flight.
        settings["Quotas:InFlight:Free"] = "10";
        _api = new ApiFactory(settings);
    }

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private static object Body(int numIdeas = 2) => new
    {
        profile = new { experience_level = "intermediate", skills = new[] { Unique("skill") } },
        num_ideas = numIdeas,
    };

    [Fact]
    public async Task The_owner_reads_a_generation_queued_then_completed_with_its_ideas()
    {
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var id = await CreateAsync(user, Body(numIdeas: 3));

        var queued = await user.GetAsync($"/api/v1/generations/{id}", Ct);
        await CompleteNextAsync();
        var completed = await user.GetAsync($"/api/v1/generations/{id}", Ct);

        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var body = await completed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal(QueueDriver.Model, body.GetProperty("model").GetString());
        Assert.Equal(3, body.GetProperty("ideas").GetArrayLength());
        Assert.False(body.GetProperty("degraded").GetBoolean());
        Assert.True(body.TryGetProperty("completed_at", out var completedAt) && completedAt.ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task Another_caller_gets_404_for_a_generation_that_is_not_theirs()
    {
        using var alice = _api.CreateClient().WithToken(TestTokens.User(Unique("alice")));
        using var bob = _api.CreateClient().WithToken(TestTokens.User(Unique("bob")));
        using var guest = _api.CreateClient();
        var id = await CreateAsync(alice, Body());

        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/v1/generations/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await guest.GetAsync($"/api/v1/generations/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync($"/api/v1/generations/{Guid.NewGuid()}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Guests_can_generate_and_read_their_own_generation()
    {
        using var guest = _api.CreateClient();

        var id = await CreateAsync(guest, Body());
        var read = await guest.GetAsync($"/api/v1/generations/{id}", Ct);

        Assert.Equal(HttpStatusCode.Accepted, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await guest.GetAsync("/api/v1/generations", Ct)).StatusCode);
    }

    [Fact]
    public async Task Wait_long_polls_until_the_generation_completes()
    {
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var id = await CreateAsync(user, Body());

        var waiting = user.GetAsync($"/api/v1/generations/{id}?wait=20", Ct);
        var completer = CompleteWhenPollingStartsAsync(waiting);
        var response = await waiting;
        await completer;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("completed", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Wait_gives_up_after_the_requested_seconds_with_the_current_state()
    {
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var id = await CreateAsync(user, Body());
        var clock = Stopwatch.StartNew();

        var response = await user.GetAsync($"/api/v1/generations/{id}?wait=1", Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 10);
    }

    [Fact]
    public async Task A_long_poll_reads_its_generation_once_and_not_every_second_while_nothing_happens()
    {
        using var spans = new RecordedSpans(source => source.Name == "Npgsql");
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var id = await CreateAsync(user, Body());
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/generations/{id}?wait=4");
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");

        var response = await user.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // One read as it starts, and at most one more if the api's LISTEN connection (re)connected meanwhile (which
        // wakes every waiter); the fallback check (Generation:WaitFallbackSeconds, 10 s) falls after the 4 s. It used
        // to read every second: five reads.
        Assert.InRange(spans.All.Count(span => span.TraceId == trace), 1, 2);
    }

    [Fact]
    public async Task A_long_poll_is_answered_on_the_completion_notification_not_at_its_fallback_check()
    {
        await using var api = ApiWith(NoFallbackWithinTheWait);
        using var waits = OpenWaits(api);
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var id = await CreateAsync(user, Body());

        var waiting = user.GetAsync($"/api/v1/generations/{id}?wait=30", Ct);
        await WaitersAsync(waits, 1);
        await CompleteNextAsync();
        var response = await waiting;

        // Without the notification it would have read the row again only when its 30 s ran out, and answered 202.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_long_poll_is_still_woken_after_another_wait_for_the_same_generation_gave_up()
    {
        await using var api = ApiWith(NoFallbackWithinTheWait);
        using var waits = OpenWaits(api);
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var id = await CreateAsync(user, Body());

        var patient = user.GetAsync($"/api/v1/generations/{id}?wait=30", Ct);
        await WaitersAsync(waits, 1);
        var impatient = await user.GetAsync($"/api/v1/generations/{id}?wait=1", Ct);
        await CompleteNextAsync();

        Assert.Equal(HttpStatusCode.Accepted, impatient.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await patient).StatusCode);
    }

    [Fact]
    public async Task A_long_poll_reads_its_generation_again_when_the_listen_connection_comes_back()
    {
        await using var api = ApiWith(NoFallbackWithinTheWait);
        using var waits = OpenWaits(api);
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var id = await CreateAsync(user, Body());
        await using var db = infrastructure.CreateDbContext(_database);
        var listener = await Eventually.ReturnsAsync(() => db.Database.SqlQuery<int>($"""
                SELECT pid AS "Value" FROM pg_stat_activity
                WHERE datname = current_database() AND query = {"LISTEN " + Binko.Data.Generations.GenerationQueue.FinishedChannel}
                """).ToListAsync(Ct), pids => pids.Count == 1, TimeSpan.FromSeconds(15), "the api's LISTEN connection");

        var waiting = user.GetAsync($"/api/v1/generations/{id}?wait=30", Ct);
        await WaitersAsync(waits, 1);
        // The connection drops, and the generation completes while it is down: its notification is lost.
        await db.Database.ExecuteSqlAsync($"SELECT pg_terminate_backend({listener[0]})", Ct);
        await CompleteNextAsync();
        var response = await waiting;

        // Reconnected, the api wakes every waiter to read its row again, rather than leaving it to the 60 s fallback.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Beyond_MaxWaitsPerCaller_a_long_poll_or_a_synchronous_generate_answers_at_once_with_the_current_state()
    {
        await using var api = ApiWith(("Generation:MaxWaitsPerCaller", "2"));
        using var waits = OpenWaits(api);
        using var alice = api.CreateClient().WithToken(TestTokens.User(Unique("alice")));
        using var bob = api.CreateClient().WithToken(TestTokens.User(Unique("bob")));
        var first = await CreateAsync(alice, Body());
        var second = await CreateAsync(alice, Body());
        var bobs = await CreateAsync(bob, Body());
        Task<HttpResponseMessage>[] holding =
            [alice.GetAsync($"/api/v1/generations/{first}?wait=30", Ct), alice.GetAsync($"/api/v1/generations/{second}?wait=30", Ct)];
        await WaitersAsync(waits, 2);

        var third = await alice.GetAsync($"/api/v1/generations/{first}?wait=30", Ct);
        var generate = await alice.PostAsJsonAsync("/api/v1/generate", Body(), Ct);
        // Another caller's long-poll still waits.
        var bobWaiting = bob.GetAsync($"/api/v1/generations/{bobs}?wait=30", Ct);
        await WaitersAsync(waits, 3);

        Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
        Assert.Equal("queued", (await third.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        // The synchronous form's job is queued all the same (not lost): 202 with its Location, as when its wait runs out.
        Assert.Equal(HttpStatusCode.Accepted, generate.StatusCode);
        var queued = (await generate.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/generations/{queued}", generate.Headers.Location?.ToString());
        Assert.DoesNotContain(holding, request => request.IsCompleted);
        Assert.False(bobWaiting.IsCompleted);

        while (await CompleteNextAsync(required: false) is not null)
        {
        }
        Assert.All(await Task.WhenAll([.. holding, bobWaiting]), response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
    }

    [Fact]
    public async Task A_wait_that_runs_its_full_length_answers_202_with_the_current_state_not_a_timeout()
    {
        // Other requests time out after 2 s; a long-poll has the generation policy's 60 s.
        await using var api = ApiWith(("RequestTimeouts:DefaultSeconds", "2"));
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var id = await CreateAsync(user, Body());

        var response = await user.GetAsync($"/api/v1/generations/{id}?wait=3", Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("Generation:MaxWaitSeconds", "40")]
    [InlineData("Generation:SyncWaitSeconds", "40")]
    public async Task A_wait_as_long_as_the_generation_request_timeout_stops_start_up_naming_both_settings(string setting, string seconds)
    {
        await using var api = ApiWith(("RequestTimeouts:GenerationSeconds", "40"), (setting, seconds));

        var error = Assert.Throws<OptionsValidationException>(() => api.Server);

        Assert.Contains($"{setting} must be below RequestTimeouts:GenerationSeconds (40)", error.Message);
    }

    [Theory]
    [InlineData("31")]
    [InlineData("-1")]
    [InlineData("soon")]
    public async Task A_wait_outside_0_to_30_seconds_is_400(string wait)
    {
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var id = await CreateAsync(user, Body());

        var response = await user.GetAsync($"/api/v1/generations/{id}?wait={wait}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Synchronous_generate_answers_200_with_the_ideas()
    {
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));

        var generating = user.PostAsJsonAsync("/api/v1/generate",
            new { profile = new { experience_level = "beginner", skills = new[] { Unique("skill") } }, num_ideas = 3 }, Ct);
        var completer = CompleteWhenPollingStartsAsync(generating);
        var response = await generating;
        await completer;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(3, body.GetProperty("ideas").GetArrayLength());
    }

    [Fact]
    public async Task Synchronous_generate_answers_202_with_the_location_when_the_wait_runs_out()
    {
        await using var api = ApiWith(("Generation:SyncWaitSeconds", "1"));
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));

        var response = await user.PostAsJsonAsync("/api/v1/generate", Body(), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/generations/{id}", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task My_generations_are_listed_newest_first_across_pages_and_only_mine()
    {
        using var me = _api.CreateClient().WithToken(TestTokens.User(Unique("me")));
        using var other = _api.CreateClient().WithToken(TestTokens.User(Unique("other")));
        var mine = new List<Guid>();
        for (var i = 0; i < 5; i++)
            mine.Add(await CreateAsync(me, Body()));
        await CreateAsync(other, Body());

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await me.GetFromJsonAsync<JsonElement>($"/api/v1/generations?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}", Ct);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null && seen.Count < 20);

        Assert.Equal(Enumerable.Reverse(mine), seen);
    }

    [Fact]
    public async Task A_malformed_list_cursor_is_400()
    {
        using var me = _api.CreateClient().WithToken(TestTokens.User(Unique("me")));

        var response = await me.GetAsync("/api/v1/generations?cursor=not-a-cursor", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<Guid> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/generations", body, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    private async Task<Guid?> CompleteNextAsync(bool required = true)
    {
        await using var db = infrastructure.CreateDbContext(_database);
        var completed = await QueueDriver.CompleteNextAsync(db, cancellationToken: Ct);
        Assert.True(completed is not null || !required, "No job was queued.");
        return completed;
    }

    /// <summary>A fallback check later than any wait in these tests: only a notification (or a reconnect) answers early.</summary>
    private static readonly (string, string) NoFallbackWithinTheWait = ("Generation:WaitFallbackSeconds", "60");

    /// <summary>Another api on this test's database, with some settings changed.</summary>
    private ApiFactory ApiWith(params (string Key, string Value)[] changes)
    {
        var settings = ServiceSettings.For(infrastructure, _database);
        foreach (var (key, value) in changes)
            settings[key] = value;
        return new ApiFactory(settings);
    }

    /// <summary>The api's count of long-polls waiting (<c>binko.generation.waits</c>).</summary>
    private static MetricCollector<long> OpenWaits(ApiFactory api) =>
        new(api.Services.GetRequiredService<IMeterFactory>(), GenerationMetrics.MeterName, "binko.generation.waits");

    private static Task WaitersAsync(MetricCollector<long> waits, int count) =>
        Eventually.ReturnsAsync(() => Task.FromResult(waits.GetMeasurementSnapshot().Sum(m => m.Value)), open => open == count,
            TimeSpan.FromSeconds(15), $"{count} long-poll(s) waiting");

    /// <summary>Completes the queued job once the request is in flight (its job is queued), while it waits.</summary>
    private async Task CompleteWhenPollingStartsAsync(Task request)
    {
        await using var db = infrastructure.CreateDbContext(_database);
        await Eventually.ReturnsAsync(async () => request.IsCompleted || await QueueDriver.CompleteNextAsync(db, cancellationToken: Ct) is not null,
            done => done, TimeSpan.FromSeconds(15), "a queued job to complete");
    }
}
