using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.Tests.Infrastructure;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

public sealed class AdminApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Status_reports_the_queue_and_cache_statistics()
    {
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        for (var i = 0; i < 2; i++)
        {
            var response = await user.PostAsJsonAsync("/api/v1/generations",
                new { profile = new { experience_level = "beginner", skills = new[] { Unique("skill") } }, num_ideas = 1 }, Ct);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var status = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/status", Ct);

        Assert.Equal(2, status.GetProperty("queue").GetProperty("queued").GetInt32());
        Assert.True(status.GetProperty("queue").GetProperty("oldest_queued_seconds").GetDouble() >= 0);
        Assert.True(status.GetProperty("generation_cache").GetProperty("misses").GetInt64() >= 2);
        Assert.True(status.GetProperty("connection_pool").GetProperty("max_pool_size").GetInt32() > 0);
    }

    [Fact]
    public async Task Admin_routes_are_for_admins_only()
    {
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        using var guest = api.CreateClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/api/v1/admin/status", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await guest.GetAsync("/api/v1/admin/status", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.DeleteAsync("/api/v1/admin/cache/generations", Ct)).StatusCode);
    }

    [Fact]
    public async Task Clearing_the_generations_tag_empties_the_response_cache()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var key = GenerationCache.Key(ServiceSettings.CachePrefix(api.DatabaseConnectionString), Unique("hash"));
        var redis = api.Infrastructure.RedisClient.GetDatabase();
        await redis.StringSetAsync(key, GenerationCache.Serialize(new CachedGeneration("m",
            [new IdeaDraft("t", "s", SkillLevel.Beginner, "web", [], [], 1)])));

        var response = await admin.DeleteAsync("/api/v1/admin/cache/generations", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(await redis.KeyExistsAsync(key));
    }
}
