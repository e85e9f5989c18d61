using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Infrastructure;
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
        var settings = ServiceSettings.For(infrastructure, _database);
        settings["Generation:SyncWaitSeconds"] = "1";
        await using var api = new ApiFactory(settings);
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

    private async Task CompleteNextAsync()
    {
        await using var db = infrastructure.CreateDbContext(_database);
        Assert.NotNull(await QueueDriver.CompleteNextAsync(db, cancellationToken: Ct));
    }

    /// <summary>Completes the queued job once the request is in flight (its job is queued), while it waits.</summary>
    private async Task CompleteWhenPollingStartsAsync(Task request)
    {
        await using var db = infrastructure.CreateDbContext(_database);
        await Eventually.ReturnsAsync(async () => request.IsCompleted || await QueueDriver.CompleteNextAsync(db, cancellationToken: Ct) is not null,
            done => done, TimeSpan.FromSeconds(15), "a queued job to complete");
    }
}
