using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

public sealed class IdeasPaginationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const int ConcurrentInserts = 40;

    [Fact]
    public async Task Walking_the_whole_catalog_while_ideas_are_inserted_sees_every_existing_idea_once()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        for (var i = 0; i < 15; i++)
            await CreateIdeaAsync(admin, Idea(Unique($"Before the walk {i}")));
        await using var db = api.Infrastructure.CreateDbContext(api.DatabaseConnectionString);
        var existing = await db.Ideas.Select(i => i.Id.ToString()).ToListAsync(TestContext.Current.CancellationToken);

        using var inserting = new CancellationTokenSource();
        var inserter = Task.Run(async () =>
        {
            using var writer = api.CreateClient().WithToken(TestTokens.Admin());
            for (var i = 0; i < ConcurrentInserts && !inserting.IsCancellationRequested; i++)
                await CreateIdeaAsync(writer, Idea(Unique($"During the walk {i}")));
        }, TestContext.Current.CancellationToken);

        var seen = new List<string>();
        string? cursor = null;
        using var reader = api.CreateClient();
        for (var pages = 0; pages < 1000; pages++)
        {
            var page = await GetJsonAsync(reader, "/api/v1/ideas?limit=7" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(Ids(page));
            cursor = NextCursor(page);
            if (cursor is null)
                break;
        }
        await inserting.CancelAsync();
        await inserter;

        Assert.Null(cursor);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(existing.Except(seen));
    }

    [Fact]
    public async Task Pages_of_a_filtered_listing_follow_each_other_in_id_order()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var category = Unique("paged").ToLowerInvariant();
        var created = new List<string>();
        for (var i = 0; i < 11; i++)
            created.Add((await CreateIdeaAsync(admin, Idea(Unique($"Paged {i}"), category: category))).GetProperty("id").GetString()!);

        var pages = new List<List<string>>();
        string? cursor = null;
        do
        {
            var page = await GetJsonAsync(admin, $"/api/v1/ideas?category={category}&limit=5" + (cursor is null ? "" : $"&cursor={cursor}"));
            pages.Add([.. Ids(page)]);
            cursor = NextCursor(page);
        } while (cursor is not null && pages.Count < 10);

        Assert.Equal([5, 5, 1], pages.Select(p => p.Count));
        Assert.Equal(created, pages.SelectMany(p => p));
    }
}
