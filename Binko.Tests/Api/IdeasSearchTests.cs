using Binko.Tests.Infrastructure;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

public sealed class IdeasSearchTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Search_ranks_a_title_match_above_a_summary_match()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var word = "zq" + Guid.NewGuid().ToString("N")[..8].Replace('-', 'x');
        // The summary match is created first, so id order alone would put it first.
        var inSummary = await CreateIdeaAsync(admin, Idea(Unique("Plain title"), summary: $"A summary that mentions {word} once in passing."));
        var inTitle = await CreateIdeaAsync(admin, Idea($"Build a {word} tracker"));

        var page = await GetJsonAsync(admin, $"/api/v1/ideas?q={word}");

        Assert.Equal([inTitle.GetProperty("id").GetString()!, inSummary.GetProperty("id").GetString()!], Ids(page));
    }

    [Fact]
    public async Task Search_results_page_with_a_cursor_in_rank_order()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var word = "zq" + Guid.NewGuid().ToString("N")[..8];
        var ideas = new List<string>();
        for (var i = 0; i < 3; i++)
            ideas.Add((await CreateIdeaAsync(admin, Idea(Unique("Searchable"), summary: $"Mentions {word} in the summary, number {i}.")))
                .GetProperty("id").GetString()!);
        var title = (await CreateIdeaAsync(admin, Idea($"The {word} idea"))).GetProperty("id").GetString()!;

        var seen = new List<string>();
        string? cursor = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await GetJsonAsync(admin, $"/api/v1/ideas?q={word}&limit=1" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(Ids(page));
            cursor = NextCursor(page);
            if (cursor is null)
                break;
        }

        Assert.Equal(title, seen[0]);
        Assert.Equal([.. ideas.Order()], seen.Skip(1).Order());
        Assert.Equal(4, seen.Count);
    }

    [Fact]
    public async Task Search_accepts_web_search_syntax_without_error()
    {
        using var client = api.CreateClient();

        var page = await GetJsonAsync(client, "/api/v1/ideas?q=%22web%20app%22%20-game%20or%20(");

        Assert.Equal(System.Text.Json.JsonValueKind.Array, page.GetProperty("items").ValueKind);
    }
}
