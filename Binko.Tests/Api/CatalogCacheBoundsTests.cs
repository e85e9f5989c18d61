using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

/// <summary>
/// What anonymous callers can put in the catalog caches is bounded: a guest stores only first pages by difficulty and
/// limit, and nobody stores a miss. Whether a read was cached shows when the catalog changes behind the api's back (in
/// SQL, so nothing is invalidated): a cached answer stays as it was. Each test has its own database.
/// </summary>
public sealed class CatalogCacheBoundsTests(TestInfrastructure infrastructure) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private string _database = "";
    private ApiFactory _api = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await infrastructure.CreateMigratedDatabaseAsync();
        _api = new ApiFactory(ServiceSettings.For(infrastructure, _database));
    }

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    /// <summary>Catalog listings, and whether a guest's is stored in the cache. "after=" is the second page.</summary>
    public static TheoryData<string, bool> Listings => new()
    {
        { "limit=5", true },
        { "difficulty=advanced&limit=5", true },
        { "q=tracker", false },
        { "tag=cli", false },
        { "category=data", false },
        { "after=", false },
    };

    [Theory]
    [MemberData(nameof(Listings))]
    public async Task A_guest_stores_only_first_pages_by_difficulty_and_limit_in_the_catalog_cache(string query, bool stored)
    {
        using var guest = _api.CreateClient();

        Assert.Equal(stored, await IsCachedAsync(guest, query));
    }

    [Theory]
    [MemberData(nameof(Listings))]
    public async Task A_signed_in_user_stores_every_listing_in_the_catalog_cache(string query, bool _)
    {
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));

        Assert.True(await IsCachedAsync(user, query));
    }

    [Fact]
    public async Task A_guests_search_is_served_from_what_a_user_cached()
    {
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        using var guest = _api.CreateClient();
        var cached = await user.GetStringAsync("/api/v1/ideas?q=tracker", Ct);

        await RenameEveryIdeaAsync();

        Assert.Equal(cached, await guest.GetStringAsync("/api/v1/ideas?q=tracker", Ct));
    }

    [Fact]
    public async Task A_missing_idea_is_not_cached_so_made_up_ids_leave_nothing_behind()
    {
        using var guest = _api.CreateClient();
        var id = Guid.CreateVersion7();
        Assert.Equal(HttpStatusCode.NotFound, (await guest.GetAsync($"/api/v1/ideas/{id}", Ct)).StatusCode);

        // The id comes to exist behind the api's back: had the 404 been cached, it would still answer 404.
        await using (var db = infrastructure.CreateDbContext(_database))
            await db.Database.ExecuteSqlAsync($"UPDATE ideas SET id = {id} WHERE id = (SELECT id FROM ideas ORDER BY id LIMIT 1)", Ct);

        Assert.Equal(HttpStatusCode.OK, (await guest.GetAsync($"/api/v1/ideas/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_idea_that_exists_is_cached_for_guests_too()
    {
        using var guest = _api.CreateClient();
        var first = (await guest.GetFromJsonAsync<JsonElement>("/api/v1/ideas?limit=1", Ct)).GetProperty("items")[0];
        var path = $"/api/v1/ideas/{first.GetProperty("id").GetGuid()}";
        var before = await guest.GetStringAsync(path, Ct);

        await RenameEveryIdeaAsync();

        Assert.Equal(before, await guest.GetStringAsync(path, Ct));
    }

    /// <summary>Reads the listing, changes every idea in SQL, reads it again: the same answer means it was cached.</summary>
    private async Task<bool> IsCachedAsync(HttpClient client, string query)
    {
        var path = $"/api/v1/ideas?{query}";
        if (query == "after=")
        {
            var first = await client.GetFromJsonAsync<JsonElement>("/api/v1/ideas?limit=5", Ct);
            path = $"/api/v1/ideas?limit=5&cursor={first.GetProperty("next_cursor").GetString()}";
        }
        var before = await client.GetFromJsonAsync<JsonElement>(path, Ct);
        Assert.NotEqual(0, before.GetProperty("items").GetArrayLength());

        await RenameEveryIdeaAsync();

        return before.GetRawText() == (await client.GetFromJsonAsync<JsonElement>(path, Ct)).GetRawText();
    }

    private async Task RenameEveryIdeaAsync()
    {
        await using var db = infrastructure.CreateDbContext(_database);
        await db.Database.ExecuteSqlAsync($"UPDATE ideas SET title = title || ' (renamed in SQL)'", Ct);
    }
}
