using System.Net;
using System.Text.Json;
using Binko.Tests.Infrastructure;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

public sealed class IdeasReadTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task List_returns_a_page_of_snake_case_ideas_and_a_next_cursor()
    {
        using var client = api.CreateClient();

        var page = await GetJsonAsync(client, "/api/v1/ideas?limit=2");

        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.NotNull(NextCursor(page));
        var idea = page.GetProperty("items")[0];
        foreach (var member in new[] { "id", "slug", "title", "summary", "difficulty", "category", "tags", "skills",
                     "estimated_hours", "created_at", "updated_at", "version" })
            Assert.True(idea.TryGetProperty(member, out _), $"missing {member}");
    }

    [Fact]
    public async Task Get_by_id_returns_the_idea_with_its_version_as_etag()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var created = await CreateIdeaAsync(admin, Idea(Unique("Readable idea")));
        var id = created.GetProperty("id").GetString();

        var response = await admin.GetAsync($"/api/v1/ideas/{id}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var idea = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(created.GetProperty("title").GetString(), idea.GetProperty("title").GetString());
        Assert.Equal($"\"{idea.GetProperty("version").GetUInt32()}\"", response.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task Get_of_an_unknown_id_is_a_404_problem()
    {
        using var client = api.CreateClient();

        var response = await client.GetAsync($"/api/v1/ideas/{Guid.CreateVersion7()}", TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Filters_by_category_difficulty_and_tag()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var category = Unique("cat").ToLowerInvariant();
        var tag = Unique("tag").ToLowerInvariant();
        var easy = await CreateIdeaAsync(admin, Idea(Unique("Easy one"), category: category, difficulty: "beginner", tags: [tag]));
        var hard = await CreateIdeaAsync(admin, Idea(Unique("Hard one"), category: category, difficulty: "advanced"));

        var byCategory = await GetJsonAsync(admin, $"/api/v1/ideas?category={category}");
        var byDifficulty = await GetJsonAsync(admin, $"/api/v1/ideas?category={category}&difficulty=advanced");
        var byTag = await GetJsonAsync(admin, $"/api/v1/ideas?tag={tag}");

        Assert.Equal([easy.GetProperty("id").GetString()!, hard.GetProperty("id").GetString()!], Ids(byCategory));
        Assert.Equal([hard.GetProperty("id").GetString()!], Ids(byDifficulty));
        Assert.Equal([easy.GetProperty("id").GetString()!], Ids(byTag));
        Assert.Null(NextCursor(byCategory));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("difficulty=expert", "difficulty")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=AQ", "cursor")]
    public async Task Invalid_query_parameters_are_400_problems_naming_the_parameter(string query, string field)
    {
        using var client = api.CreateClient();

        var response = await client.GetAsync($"/api/v1/ideas?{query}", TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", field);
    }

    [Fact]
    public async Task A_browsing_cursor_is_refused_by_a_search()
    {
        using var client = api.CreateClient();
        var page = await GetJsonAsync(client, "/api/v1/ideas?limit=1");

        var response = await client.GetAsync($"/api/v1/ideas?q=game&cursor={NextCursor(page)}", TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", "cursor");
    }
}
