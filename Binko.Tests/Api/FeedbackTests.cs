using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

/// <summary>Feedback on generated ideas: validation, ownership, and one merged row per idea and user. The worker is
/// played by <see cref="QueueDriver"/>.</summary>
public sealed class FeedbackTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_first_feedback_creates_it_and_later_ones_merge_into_the_same_row()
    {
        var userId = Unique("user");
        using var user = api.CreateClient().WithToken(TestTokens.User(userId));
        var (generation, ideas) = await GenerateAsync(user);
        var url = $"/api/v1/generations/{generation}/feedback";

        var created = await user.PostAsJsonAsync(url, new { idea_id = ideas[0], approved = true, score = 8, comment = " Fun. " }, Ct);
        var saved = await user.PostAsJsonAsync(url, new { idea_id = ideas[0], saved = true }, Ct);
        var uncommented = await user.PostAsJsonAsync(url, new { idea_id = ideas[0], comment = "", score = 6 }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Fun.", first.GetProperty("comment").GetString());
        Assert.False(first.GetProperty("saved").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var merged = await saved.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(merged.GetProperty("approved").GetBoolean());
        Assert.Equal(8, merged.GetProperty("score").GetInt32());
        Assert.Equal("Fun.", merged.GetProperty("comment").GetString());
        Assert.True(merged.GetProperty("saved").GetBoolean());
        Assert.False(merged.GetProperty("started").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, uncommented.StatusCode);
        var last = await uncommented.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(JsonValueKind.Null, last.GetProperty("comment").ValueKind);
        Assert.Equal(6, last.GetProperty("score").GetInt32());
        Assert.True(last.GetProperty("approved").GetBoolean());

        await using var db = api.Infrastructure.CreateDbContext(api.DatabaseConnectionString);
        var row = await db.Feedback.SingleAsync(f => f.UserId == userId, Ct);
        Assert.Equal(ideas[0], row.GeneratedIdeaId);
        Assert.True(row.UpdatedAt > row.CreatedAt);
    }

    [Fact]
    public async Task New_feedback_shows_in_my_stats_at_once_though_they_are_cached()
    {
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var (generation, ideas) = await GenerateAsync(user);
        var before = await user.GetFromJsonAsync<JsonElement>("/api/v1/me/stats", Ct);

        var given = await user.PostAsJsonAsync($"/api/v1/generations/{generation}/feedback", new { idea_id = ideas[0], approved = true, score = 7 }, Ct);
        var after = await user.GetFromJsonAsync<JsonElement>("/api/v1/me/stats", Ct);

        Assert.Equal(HttpStatusCode.Created, given.StatusCode);
        Assert.Equal(0, before.GetProperty("feedback").GetInt32());
        Assert.Equal(1, after.GetProperty("feedback").GetInt32());
        Assert.Equal(1.0, after.GetProperty("approval_rate").GetDouble());
        Assert.Equal(7.0, after.GetProperty("mean_score").GetDouble());
    }

    [Fact]
    public async Task Concurrent_feedback_on_one_idea_leaves_one_row()
    {
        var userId = Unique("user");
        using var user = api.CreateClient().WithToken(TestTokens.User(userId));
        var (generation, ideas) = await GenerateAsync(user);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(score =>
            user.PostAsJsonAsync($"/api/v1/generations/{generation}/feedback", new { idea_id = ideas[1], score }, Ct)));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        await using var db = api.Infrastructure.CreateDbContext(api.DatabaseConnectionString);
        Assert.Equal(1, await db.Feedback.CountAsync(f => f.UserId == userId, Ct));
    }

    [Theory]
    [InlineData("""{"approved": true}""", "idea_id")]
    [InlineData("""{"idea_id": "IDEA", "score": 11}""", "score")]
    [InlineData("""{"idea_id": "IDEA", "score": -1}""", "score")]
    [InlineData("""{"idea_id": "IDEA"}""", "approved")]
    [InlineData("""{"idea_id": "IDEA", "approved": "yes"}""", "approved")]
    [InlineData("""{"idea_id": "IDEA", "approved": true, "rating": 5}""", "rating")]
    public async Task Invalid_feedback_is_a_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        var userId = Unique("user");
        using var user = api.CreateClient().WithToken(TestTokens.User(userId));
        var (generation, ideas) = await GenerateAsync(user);

        var response = await user.PostAsync($"/api/v1/generations/{generation}/feedback",
            new StringContent(body.Replace("IDEA", ideas[0].ToString()), System.Text.Encoding.UTF8, "application/json"), Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name.Contains(field, StringComparison.Ordinal));
        await AssertNoFeedbackAsync(userId);
    }

    [Fact]
    public async Task A_comment_of_2000_characters_is_accepted_and_2001_is_a_400()
    {
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var (generation, ideas) = await GenerateAsync(user);
        var url = $"/api/v1/generations/{generation}/feedback";

        var longest = await user.PostAsJsonAsync(url, new { idea_id = ideas[0], comment = new string('a', 2000) }, Ct);
        var tooLong = await user.PostAsJsonAsync(url, new { idea_id = ideas[0], comment = new string('a', 2001) }, Ct);

        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
        await AssertProblemAsync(tooLong, HttpStatusCode.BadRequest, "validation_failed", "comment");
    }

    [Fact]
    public async Task Only_the_owner_of_the_generation_can_give_feedback()
    {
        var bobId = Unique("bob");
        using var alice = api.CreateClient().WithToken(TestTokens.User(Unique("alice")));
        using var bob = api.CreateClient().WithToken(TestTokens.User(bobId));
        using var guest = api.CreateClient();
        var (aliceGeneration, aliceIdeas) = await GenerateAsync(alice);
        var (bobGeneration, _) = await GenerateAsync(bob);
        var body = new { idea_id = aliceIdeas[0], approved = false };

        await AssertProblemAsync(await bob.PostAsJsonAsync($"/api/v1/generations/{aliceGeneration}/feedback", body, Ct),
            HttpStatusCode.NotFound, "not_found");
        // Bob's own generation, but Alice's idea: still not his.
        await AssertProblemAsync(await bob.PostAsJsonAsync($"/api/v1/generations/{bobGeneration}/feedback", body, Ct),
            HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await alice.PostAsJsonAsync($"/api/v1/generations/{Guid.NewGuid()}/feedback", body, Ct),
            HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await guest.PostAsJsonAsync($"/api/v1/generations/{aliceGeneration}/feedback", body, Ct),
            HttpStatusCode.Unauthorized, "unauthorized");
        await AssertNoFeedbackAsync(bobId);
    }

    /// <summary>Queues a generation of two ideas for the client and completes it; returns its id and its ideas' ids.</summary>
    private async Task<(Guid Generation, Guid[] Ideas)> GenerateAsync(HttpClient client)
    {
        var body = new { profile = new { experience_level = "beginner", skills = new[] { Unique("skill") } }, num_ideas = 2 };
        var queued = await client.PostAsJsonAsync("/api/v1/generations", body, Ct);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var id = (await queued.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        await using (var db = api.Infrastructure.CreateDbContext(api.DatabaseConnectionString))
            Assert.Equal(id, await QueueDriver.CompleteNextAsync(db, cancellationToken: Ct));

        var completed = await client.GetFromJsonAsync<JsonElement>($"/api/v1/generations/{id}", Ct);
        return (id, [.. completed.GetProperty("ideas").EnumerateArray().Select(i => i.GetProperty("id").GetGuid())]);
    }

    private async Task AssertNoFeedbackAsync(string userId)
    {
        await using var db = api.Infrastructure.CreateDbContext(api.DatabaseConnectionString);
        Assert.Equal(0, await db.Feedback.CountAsync(f => f.UserId == userId, Ct));
    }
}
