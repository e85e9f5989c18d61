using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Infrastructure;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

public sealed class IdeasWriteTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_answers_201_with_location_slug_and_etag()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var title = Unique("Create a Tiny Game!");

        var response = await admin.PostAsJsonAsync("/api/v1/ideas", Idea(title, tags: ["Games", "games", " fun "]), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var idea = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = idea.GetProperty("id").GetString();
        Assert.Equal($"/api/v1/ideas/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(title.ToLowerInvariant().Replace("!", "").Replace(' ', '-'), idea.GetProperty("slug").GetString());
        Assert.Equal(["games", "fun"], idea.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal($"\"{idea.GetProperty("version").GetUInt32()}\"", response.Headers.ETag?.ToString());
        Assert.Equal(title, (await GetJsonAsync(admin, $"/api/v1/ideas/{id}")).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Create_with_a_title_whose_slug_exists_is_409()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var title = Unique("Same title");
        await CreateIdeaAsync(admin, Idea(title));

        var response = await admin.PostAsJsonAsync("/api/v1/ideas", Idea(title.ToUpperInvariant()), Ct);

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task Update_with_the_current_etag_replaces_the_idea_and_changes_the_version()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var idea = await CreateIdeaAsync(admin, Idea(Unique("Before")));
        var id = idea.GetProperty("id").GetString();
        var newTitle = Unique("After");

        var response = await PutAsync(admin, id, Idea(newTitle, difficulty: "advanced"), $"\"{idea.GetProperty("version").GetUInt32()}\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(newTitle, updated.GetProperty("title").GetString());
        Assert.Equal("advanced", updated.GetProperty("difficulty").GetString());
        Assert.Equal(idea.GetProperty("slug").GetString(), updated.GetProperty("slug").GetString());
        Assert.NotEqual(idea.GetProperty("version").GetUInt32(), updated.GetProperty("version").GetUInt32());
        Assert.Equal(newTitle, (await GetJsonAsync(admin, $"/api/v1/ideas/{id}")).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Update_with_a_stale_etag_is_412_and_changes_nothing()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var idea = await CreateIdeaAsync(admin, Idea(Unique("Contended")));
        var id = idea.GetProperty("id").GetString();
        var original = $"\"{idea.GetProperty("version").GetUInt32()}\"";
        var first = await PutAsync(admin, id, Idea(Unique("First writer")), original);
        var firstTitle = (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString();

        var second = await PutAsync(admin, id, Idea(Unique("Second writer")), original);

        await AssertProblemAsync(second, HttpStatusCode.PreconditionFailed, "precondition_failed");
        Assert.Equal(firstTitle, (await GetJsonAsync(admin, $"/api/v1/ideas/{id}")).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Concurrent_updates_with_the_same_etag_let_exactly_one_win()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var idea = await CreateIdeaAsync(admin, Idea(Unique("Raced")));
        var id = idea.GetProperty("id").GetString();
        var etag = $"\"{idea.GetProperty("version").GetUInt32()}\"";

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => PutAsync(admin, id, Idea(Unique($"Racer {i}")), etag)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK),
            r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode));
    }

    [Fact]
    public async Task Update_without_if_match_is_428()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var idea = await CreateIdeaAsync(admin, Idea(Unique("Unconditional")));

        var response = await PutAsync(admin, idea.GetProperty("id").GetString(), Idea(Unique("Blind write")), ifMatch: null);

        await AssertProblemAsync(response, HttpStatusCode.PreconditionRequired, "precondition_required");
    }

    [Fact]
    public async Task Update_of_an_unknown_idea_is_404()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());

        var response = await PutAsync(admin, Guid.CreateVersion7().ToString(), Idea(Unique("Ghost")), "\"1\"");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Update_with_an_invalid_body_is_400_naming_the_field()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var idea = await CreateIdeaAsync(admin, Idea(Unique("Valid first")));
        var body = Idea(Unique("Still valid"));
        body["estimated_hours"] = 0;

        var response = await PutAsync(admin, idea.GetProperty("id").GetString(), body, $"\"{idea.GetProperty("version").GetUInt32()}\"");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", "estimated_hours");
    }

    [Fact]
    public async Task Delete_answers_204_then_the_idea_is_gone()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var idea = await CreateIdeaAsync(admin, Idea(Unique("Doomed")));
        var id = idea.GetProperty("id").GetString();
        await GetJsonAsync(admin, $"/api/v1/ideas/{id}"); // cached now

        var response = await admin.DeleteAsync($"/api/v1/ideas/{id}", Ct);
        var again = await admin.DeleteAsync($"/api/v1/ideas/{id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await AssertProblemAsync(await admin.GetAsync($"/api/v1/ideas/{id}", Ct), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(again, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Delete_with_a_stale_etag_is_412_and_keeps_the_idea()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var idea = await CreateIdeaAsync(admin, Idea(Unique("Kept")));
        var id = idea.GetProperty("id").GetString();
        var stale = $"\"{idea.GetProperty("version").GetUInt32()}\"";
        await PutAsync(admin, id, Idea(Unique("Kept changed")), stale);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/ideas/{id}");
        delete.Headers.TryAddWithoutValidation("If-Match", stale);
        var response = await admin.SendAsync(delete, Ct);

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "precondition_failed");
        await GetJsonAsync(admin, $"/api/v1/ideas/{id}");
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string? id, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/ideas/{id}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request, Ct);
    }
}
