using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

public sealed class IdeasBulkTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bulk_create_stores_every_idea_and_returns_them_in_order()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var category = Unique("bulk").ToLowerInvariant();
        var titles = Enumerable.Range(0, 100).Select(i => Unique($"Bulk idea {i}")).ToList();

        var response = await admin.PostAsJsonAsync("/api/v1/ideas/bulk",
            new { items = titles.Select(t => Idea(t, category: category)) }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(titles, body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()));
        Assert.Equal(100, await CountAsync(category));
    }

    [Fact]
    public async Task Bulk_of_101_ideas_is_400_and_writes_nothing()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var category = Unique("toomany").ToLowerInvariant();

        var response = await admin.PostAsJsonAsync("/api/v1/ideas/bulk",
            new { items = Enumerable.Range(0, 101).Select(i => Idea(Unique($"Too many {i}"), category: category)) }, Ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", "items");
        Assert.Equal(0, await CountAsync(category));
    }

    [Fact]
    public async Task Bulk_with_one_invalid_item_is_400_naming_that_item_and_writes_nothing()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var category = Unique("oneinvalid").ToLowerInvariant();
        var items = Enumerable.Range(0, 5).Select(i => Idea(Unique($"Item {i}"), category: category)).ToList();
        items[3]["title"] = "x";

        var response = await admin.PostAsJsonAsync("/api/v1/ideas/bulk", new { items }, Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", "items[3].title");
        Assert.Single(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal(0, await CountAsync(category));
    }

    [Fact]
    public async Task Bulk_with_a_slug_that_exists_is_409_and_writes_nothing()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var existing = Unique("Existing");
        await CreateIdeaAsync(admin, Idea(existing));
        var category = Unique("clash").ToLowerInvariant();

        var response = await admin.PostAsJsonAsync("/api/v1/ideas/bulk",
            new { items = new[] { Idea(Unique("Fresh"), category: category), Idea(existing, category: category) } }, Ct);

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "conflict");
        Assert.Equal(0, await CountAsync(category));
    }

    [Fact]
    public async Task Bulk_with_two_items_making_the_same_slug_is_400_naming_the_second()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var title = Unique("Twin");

        var response = await admin.PostAsJsonAsync("/api/v1/ideas/bulk", new { items = new[] { Idea(title), Idea(title + "!") } }, Ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", "items[1].title");
    }

    [Fact]
    public async Task Bulk_with_no_items_is_400()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());

        var response = await admin.PostAsJsonAsync("/api/v1/ideas/bulk", new { items = Array.Empty<object>() }, Ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", "items");
    }

    private async Task<int> CountAsync(string category)
    {
        await using var db = api.Infrastructure.CreateDbContext(api.DatabaseConnectionString);
        return await db.Ideas.CountAsync(i => i.Category == category, Ct);
    }
}
