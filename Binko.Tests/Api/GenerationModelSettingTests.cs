using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Api.Generations;
using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.Tests.Infrastructure;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

/// <summary>
/// Of the LLM the api needs only the model's name, a part of the response-cache key: <c>Generation:Model</c>, which the
/// AppHost sets. The connection string, and the key in it, is the worker's alone; the api does not read it.
/// </summary>
public sealed class GenerationModelSettingTests(TestInfrastructure infrastructure) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private string _database = "";

    public async ValueTask InitializeAsync() => _database = await infrastructure.CreateMigratedDatabaseAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private ApiFactory Api(params (string Key, string Value)[] settings)
    {
        var all = ServiceSettings.For(infrastructure, _database);
        foreach (var (key, value) in settings)
            all[key] = value;
        return new ApiFactory(all);
    }

    [Fact]
    public async Task The_response_cache_is_keyed_by_Generation_Model_and_not_by_the_connection_string()
    {
        var skill = Unique("skill");
        await CacheResultAsync(skill, "model-of-the-setting");
        await using var named = Api(("Generation:Model", "model-of-the-setting"));
        await using var withConnectionString = Api(("ConnectionStrings:llm", "Endpoint=http://127.0.0.1:9/v1;Key=sk-unused;Model=model-of-the-setting"));

        using var hit = await GenerateAsync(named, skill);
        using var miss = await GenerateAsync(withConnectionString, skill);

        Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        Assert.True((await hit.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("cached").GetBoolean());
        // Without Generation:Model the api keys by the offline generator's name, whatever ConnectionStrings:llm says.
        Assert.Equal(HttpStatusCode.Accepted, miss.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task A_blank_model_stops_start_up_naming_it(string model)
    {
        await using var api = Api(("Generation:Model", model));

        var failure = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        Assert.Contains("Model", failure.Message, StringComparison.Ordinal);
    }

    private async Task CacheResultAsync(string skill, string model)
    {
        var request = GenerationRequests.Normalize(new ProfileSnapshot(SkillLevel.Beginner, [skill], [], 0, null), 1, null);
        var cached = new CachedGeneration(model, [new IdeaDraft("Cached idea", "From the cache.", SkillLevel.Beginner, "games", [], [skill], 5)]);
        await infrastructure.RedisClient.GetDatabase().StringSetAsync(
            GenerationCache.Key(ServiceSettings.CachePrefix(_database), request.ContentHash(model)), GenerationCache.Serialize(cached));
    }

    private static async Task<HttpResponseMessage> GenerateAsync(ApiFactory api, string skill)
    {
        using var client = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        return await client.PostAsJsonAsync("/api/v1/generations",
            new { profile = new { experience_level = "beginner", skills = new[] { skill } }, num_ideas = 1 }, Ct);
    }
}
