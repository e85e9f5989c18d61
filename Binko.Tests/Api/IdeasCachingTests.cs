using System.Net.Http.Json;
using Binko.Api.Models;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

public sealed class IdeasCachingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_are_served_from_the_cache_until_a_write()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var category = Unique("cached").ToLowerInvariant();
        var first = await CreateIdeaAsync(admin, Idea(Unique("Cached"), category: category));
        await GetJsonAsync(admin, $"/api/v1/ideas?category={category}");

        // Behind the API's back: the cached page does not see it.
        await using (var db = api.Infrastructure.CreateDbContext(api.DatabaseConnectionString))
            await db.Ideas.Where(i => i.Category == category).ExecuteUpdateAsync(s => s.SetProperty(i => i.Title, "Changed in SQL"), Ct);
        var cached = await GetJsonAsync(admin, $"/api/v1/ideas?category={category}");

        Assert.Equal(first.GetProperty("title").GetString(), cached.GetProperty("items")[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_cached_page_is_one_shared_instance_not_a_copy_deserialized_per_read()
    {
        var cache = api.Factory.Services.GetRequiredService<HybridCache>();
        var key = Unique("shared-page");

        var first = await cache.GetOrCreateAsync(key, _ => ValueTask.FromResult(new IdeaPage([], "first")), cancellationToken: Ct);
        var second = await cache.GetOrCreateAsync(key, _ => ValueTask.FromResult(new IdeaPage([], "second")), cancellationToken: Ct);

        Assert.Equal("first", second.NextCursor);
        Assert.Same(first, second);
    }

    [Fact]
    public async Task A_get_after_a_post_sees_the_new_idea()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var category = Unique("fresh").ToLowerInvariant();
        await CreateIdeaAsync(admin, Idea(Unique("Old"), category: category));
        Assert.Single(Ids(await GetJsonAsync(admin, $"/api/v1/ideas?category={category}")));

        var added = await CreateIdeaAsync(admin, Idea(Unique("New"), category: category));

        Assert.Contains(added.GetProperty("id").GetString()!, Ids(await GetJsonAsync(admin, $"/api/v1/ideas?category={category}")));
    }

    [Fact]
    public async Task A_write_on_one_replica_invalidates_the_cache_of_another()
    {
        // A second API instance on the same database and Redis: another replica.
        await using var replica = new ApiFactory(ServiceSettings.For(api.Infrastructure, api.DatabaseConnectionString));
        using var other = replica.CreateClient();
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var category = Unique("replica").ToLowerInvariant();
        var idea = await CreateIdeaAsync(admin, Idea(Unique("Shared"), category: category));
        var id = idea.GetProperty("id").GetString();
        await GetJsonAsync(other, $"/api/v1/ideas?category={category}");
        await GetJsonAsync(other, $"/api/v1/ideas/{id}");

        var added = await CreateIdeaAsync(admin, Idea(Unique("Added"), category: category));
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/ideas/{id}") { Content = JsonContent.Create(Idea("Renamed on replica one", category: category)) };
        put.Headers.TryAddWithoutValidation("If-Match", $"\"{idea.GetProperty("version").GetUInt32()}\"");
        (await admin.SendAsync(put, Ct)).EnsureSuccessStatusCode();

        await Eventually.ReturnsAsync(() => GetJsonAsync(other, $"/api/v1/ideas?category={category}"),
            page => Ids(page).Contains(added.GetProperty("id").GetString()), TimeSpan.FromSeconds(10), "the other replica's list to show the new idea");
        await Eventually.ReturnsAsync(() => GetJsonAsync(other, $"/api/v1/ideas/{id}"),
            one => one.GetProperty("title").GetString() == "Renamed on replica one", TimeSpan.FromSeconds(10), "the other replica's idea to be renamed");
    }
}
