using System.Net;
using System.Text.Json;
using Binko.Api.Http;
using Binko.Api.Learning;
using Binko.Data.Entities;
using Binko.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using static Binko.Data.Entities.SkillLevel;
using static Binko.Tests.Api.CatalogTestData;
using static Binko.Tests.Api.LearningTestData;

namespace Binko.Tests.Api;

/// <summary>GET /me/stats and /admin/stats over generations, ideas and feedback written straight into the database;
/// every expected number is worked out by hand from <see cref="SeedLearnerAsync"/>'s data.</summary>
public sealed class StatsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The learner's data: three completed generations (6 ideas, 5 with feedback), and what must not count: a failed
    /// and a queued generation, and another user's feedback on the learner's idea without feedback.
    /// <code>
    /// idea  generation  category  difficulty    shown        approved  score
    /// i1    G1          web       beginner      today        true      8
    /// i2    G1          web       intermediate  today        false     4
    /// i3    G1          games     beginner      today        (no feedback; another user's: true, 9)
    /// i4    G2          games     intermediate  3 days ago   null      6
    /// i5    G2          web       beginner      3 days ago   true      null
    /// i6    G3          games     beginner      10 days ago  true      9
    /// </code>
    /// </summary>
    private async Task SeedLearnerAsync(string learner, string stranger)
    {
        var owner = $"user:{learner}";
        var g1 = await AddGenerationAsync(api.Infrastructure, api.DatabaseConnectionString, owner, GenerationStatus.Completed,
            new Shown("web", Beginner, 0, new Verdict(true, 8)),
            new Shown("web", Intermediate, 0, new Verdict(false, 4)),
            new Shown("games", Beginner, 0));
        await AddGenerationAsync(api.Infrastructure, api.DatabaseConnectionString, owner, GenerationStatus.Completed,
            new Shown("games", Intermediate, 3, new Verdict(null, 6)),
            new Shown("web", Beginner, 3, new Verdict(true, null)));
        await AddGenerationAsync(api.Infrastructure, api.DatabaseConnectionString, owner, GenerationStatus.Completed,
            new Shown("games", Beginner, 10, new Verdict(true, 9)));

        await AddGenerationAsync(api.Infrastructure, api.DatabaseConnectionString, owner, GenerationStatus.Failed,
            new Shown("web", Beginner, 0, new Verdict(true, 10)));
        await AddGenerationAsync(api.Infrastructure, api.DatabaseConnectionString, owner, GenerationStatus.Queued,
            new Shown("games", Advanced, 0, new Verdict(false, 0)));
        await AddFeedbackAsync(api.Infrastructure, api.DatabaseConnectionString, stranger, g1[2], new Verdict(true, 9));
        await AddGenerationAsync(api.Infrastructure, api.DatabaseConnectionString, $"user:{stranger}", GenerationStatus.Completed,
            new Shown("web", Advanced, 0, new Verdict(false, 1)));
    }

    [Fact]
    public async Task My_stats_count_my_completed_generations_ideas_and_feedback()
    {
        var learner = Unique("learner");
        await SeedLearnerAsync(learner, Unique("stranger"));
        using var client = api.CreateClient().WithToken(TestTokens.User(learner));

        var stats = await GetJsonAsync(client, "/api/v1/me/stats");

        Assert.False(stats.TryGetProperty("users", out _));
        Assert.Equal(3, stats.GetProperty("generations").GetInt64());   // G1, G2, G3 (not the failed or the queued one)
        // 6 ideas, 5 with feedback; approved 3 of the 4 with a verdict (i1, i5, i6 of i1, i2, i5, i6) = 0.75;
        // scores (8 + 4 + 6 + 9) / 4 = 6.75. The stranger's verdict on i3 and the stranger's own generation do not count.
        AssertFigures(stats, 6, 5, 0.75, 6.75);

        Assert.Equal(["games", "web"], stats.GetProperty("by_category").EnumerateArray().Select(c => c.GetProperty("category").GetString()));
        AssertFigures(Entry(stats, "by_category", "category", "games"), 3, 2, 1.0, 7.5);      // i3, i4, i6: 1/1; (6 + 9) / 2
        AssertFigures(Entry(stats, "by_category", "category", "web"), 3, 3, 0.6667, 6.0);     // i1, i2, i5: 2/3; (8 + 4) / 2

        Assert.Equal(["beginner", "intermediate"], stats.GetProperty("by_difficulty").EnumerateArray().Select(d => d.GetProperty("difficulty").GetString()));
        AssertFigures(Entry(stats, "by_difficulty", "difficulty", "beginner"), 4, 3, 1.0, 8.5);   // i1, i3, i5, i6: 3/3; (8 + 9) / 2
        AssertFigures(Entry(stats, "by_difficulty", "difficulty", "intermediate"), 2, 2, 0.0, 5.0); // i2, i4: 0/1; (4 + 6) / 2

        var trend = stats.GetProperty("trend").EnumerateArray().ToList();
        Assert.Equal(30, trend.Count);
        Assert.Equal(DaysAgo(29), trend[0].GetProperty("date").GetString());
        Assert.Equal(DaysAgo(0), trend[^1].GetProperty("date").GetString());
        Assert.Equal([DaysAgo(10), DaysAgo(3), DaysAgo(0)],
            trend.Where(d => d.GetProperty("ideas_shown").GetInt64() > 0).Select(d => d.GetProperty("date").GetString()));
        AssertFigures(trend[^1], 3, 2, 0.5, 6.0);      // today: i1, i2, i3: 1/2; (8 + 4) / 2
        AssertFigures(trend[^4], 2, 2, 1.0, 6.0);      // 3 days ago: i4, i5: 1/1; 6 / 1
        AssertFigures(trend[^11], 1, 1, 1.0, 9.0);     // 10 days ago: i6
        AssertFigures(trend[^2], 0, 0, null, null);
    }

    [Fact]
    public async Task A_category_restricts_every_number_to_its_ideas()
    {
        var learner = Unique("learner");
        await SeedLearnerAsync(learner, Unique("stranger"));
        using var client = api.CreateClient().WithToken(TestTokens.User(learner));

        var stats = await GetJsonAsync(client, "/api/v1/me/stats?category=web");

        Assert.Equal(2, stats.GetProperty("generations").GetInt64());   // G1 and G2; G3 has no web idea
        AssertFigures(stats, 3, 3, 0.6667, 6.0);                        // i1, i2, i5: 2/3; (8 + 4) / 2
        Assert.Equal("web", Assert.Single(stats.GetProperty("by_category").EnumerateArray()).GetProperty("category").GetString());
        AssertFigures(Entry(stats, "by_difficulty", "difficulty", "beginner"), 2, 2, 1.0, 8.0);       // i1, i5: 2/2; 8 / 1
        AssertFigures(Entry(stats, "by_difficulty", "difficulty", "intermediate"), 1, 1, 0.0, 4.0);   // i2
        var trend = stats.GetProperty("trend").EnumerateArray().ToList();
        AssertFigures(trend[^1], 2, 2, 0.5, 6.0);      // today: i1, i2
        AssertFigures(trend[^4], 1, 1, 1.0, null);     // 3 days ago: i5, approved without a score
        AssertFigures(trend[^11], 0, 0, null, null);   // i6 is games
    }

    [Fact]
    public async Task Without_feedback_the_rates_are_null_and_ideas_older_than_30_days_stay_out_of_the_trend()
    {
        var learner = Unique("learner");
        await AddGenerationAsync(api.Infrastructure, api.DatabaseConnectionString, $"user:{learner}", GenerationStatus.Completed,
            new Shown("web", Beginner, 0), new Shown("data", Advanced, 40));
        using var client = api.CreateClient().WithToken(TestTokens.User(learner));

        var stats = await GetJsonAsync(client, "/api/v1/me/stats");

        Assert.Equal(1, stats.GetProperty("generations").GetInt64());
        AssertFigures(stats, 2, 0, null, null);
        AssertFigures(Entry(stats, "by_difficulty", "difficulty", "advanced"), 1, 0, null, null);
        Assert.Equal(1, stats.GetProperty("trend").EnumerateArray().Sum(d => d.GetProperty("ideas_shown").GetInt64()));   // today's only
    }

    [Fact]
    public async Task A_user_without_generations_gets_zeros_and_an_empty_trend()
    {
        using var client = api.CreateClient().WithToken(TestTokens.User(Unique("newcomer")));

        var stats = await GetJsonAsync(client, "/api/v1/me/stats");

        Assert.Equal(0, stats.GetProperty("generations").GetInt64());
        AssertFigures(stats, 0, 0, null, null);
        Assert.Empty(stats.GetProperty("by_category").EnumerateArray());
        Assert.Empty(stats.GetProperty("by_difficulty").EnumerateArray());
        Assert.All(stats.GetProperty("trend").EnumerateArray(), day => AssertFigures(day, 0, 0, null, null));
    }

    [Theory]
    [InlineData("w")]
    [InlineData("Web")]
    [InlineData("web%20apps")]
    [InlineData("web:x")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task A_malformed_category_is_a_400_naming_it(string category)
    {
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());

        await AssertProblemAsync(await user.GetAsync($"/api/v1/me/stats?category={category}", Ct),
            HttpStatusCode.BadRequest, "validation_failed", "category");
        await AssertProblemAsync(await admin.GetAsync($"/api/v1/admin/stats?category={category}", Ct),
            HttpStatusCode.BadRequest, "validation_failed", "category");
    }

    [Fact]
    public async Task Guests_get_401_and_users_get_403_for_the_admin_view()
    {
        using var guest = api.CreateClient();
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));

        Assert.Equal(HttpStatusCode.Unauthorized, (await guest.GetAsync("/api/v1/me/stats", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await guest.GetAsync("/api/v1/admin/stats", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/api/v1/admin/stats", Ct)).StatusCode);
    }

    [Fact]
    public async Task My_stats_are_cached_until_my_tag_is_invalidated()
    {
        var learner = Unique("learner");
        var ideas = await AddGenerationAsync(api.Infrastructure, api.DatabaseConnectionString, $"user:{learner}",
            GenerationStatus.Completed, new Shown("web", Beginner, 0, new Verdict(true, 8)), new Shown("web", Beginner, 0));
        using var client = api.CreateClient().WithToken(TestTokens.User(learner));
        AssertFigures(await GetJsonAsync(client, "/api/v1/me/stats"), 2, 1, 1.0, 8.0);

        // Behind the API's back, as the feedback endpoint would write it: the cached numbers do not see it.
        await AddFeedbackAsync(api.Infrastructure, api.DatabaseConnectionString, learner, ideas[1], new Verdict(false, 2));
        var cached = await GetJsonAsync(client, "/api/v1/me/stats");
        await api.Factory.Services.GetRequiredService<CacheInvalidator>()
            .InvalidateAsync(api.Factory.Services.GetRequiredService<HybridCache>(), StatsCache.UserTag(learner), Ct);
        var fresh = await GetJsonAsync(client, "/api/v1/me/stats");

        AssertFigures(cached, 2, 1, 1.0, 8.0);
        AssertFigures(fresh, 2, 2, 0.5, 5.0);   // approved 1 of 2; (8 + 2) / 2
    }

    [Fact]
    public async Task The_admin_view_aggregates_every_users_completed_generations()
    {
        // Its own database: the admin view counts every user in it.
        var database = await api.Infrastructure.CreateMigratedDatabaseAsync();
        await using var factory = new ApiFactory(ServiceSettings.For(api.Infrastructure, database));
        var (alice, bob) = (Unique("alice"), Unique("bob"));
        // alice: 2 generations, 3 ideas: web (true, 8), games (false, 4), web (no feedback), the last 5 days ago.
        await AddGenerationAsync(api.Infrastructure, database, $"user:{alice}", GenerationStatus.Completed,
            new Shown("web", Beginner, 0, new Verdict(true, 8)), new Shown("games", Advanced, 0, new Verdict(false, 4)));
        await AddGenerationAsync(api.Infrastructure, database, $"user:{alice}", GenerationStatus.Completed,
            new Shown("web", Intermediate, 5));
        // bob: 1 generation, 1 idea: web (false, 2); and a failed one that does not count.
        await AddGenerationAsync(api.Infrastructure, database, $"user:{bob}", GenerationStatus.Completed,
            new Shown("web", Beginner, 0, new Verdict(false, 2)));
        await AddGenerationAsync(api.Infrastructure, database, $"user:{bob}", GenerationStatus.Failed,
            new Shown("web", Beginner, 0, new Verdict(true, 10)));
        // A guest's generation is never counted.
        await AddGenerationAsync(api.Infrastructure, database, "guest:10.0.0.1", GenerationStatus.Completed,
            new Shown("web", Beginner, 0));
        using var admin = factory.CreateClient().WithToken(TestTokens.Admin());

        var all = await GetJsonAsync(admin, "/api/v1/admin/stats");
        var web = await GetJsonAsync(admin, "/api/v1/admin/stats?category=web");

        Assert.Equal(2, all.GetProperty("users").GetInt64());
        Assert.Equal(3, all.GetProperty("generations").GetInt64());
        AssertFigures(all, 4, 3, 0.3333, 4.67);   // approved 1 of 3; (8 + 4 + 2) / 3 = 4.666...
        AssertFigures(Entry(all, "by_category", "category", "games"), 1, 1, 0.0, 4.0);
        AssertFigures(Entry(all, "by_difficulty", "difficulty", "beginner"), 2, 2, 0.5, 5.0);   // (8 + 2) / 2
        AssertFigures(Entry(all, "trend", "date", DaysAgo(0)), 3, 3, 0.3333, 4.67);
        AssertFigures(Entry(all, "trend", "date", DaysAgo(5)), 1, 0, null, null);

        Assert.Equal(2, web.GetProperty("users").GetInt64());
        Assert.Equal(3, web.GetProperty("generations").GetInt64());   // each of the three has a web idea
        AssertFigures(web, 3, 2, 0.5, 5.0);   // alice's two web ideas and bob's: 1 of 2 approved; (8 + 2) / 2
    }
}
