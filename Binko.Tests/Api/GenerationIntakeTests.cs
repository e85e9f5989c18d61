using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Api.Generations;
using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

public sealed class GenerationIntakeTests(TestInfrastructure infrastructure) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private string _database = "";
    private ApiFactory _api = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await infrastructure.CreateMigratedDatabaseAsync();
        _api = Api();
    }

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private ApiFactory Api(params (string Key, string Value)[] settings)
    {
        var all = ServiceSettings.For(infrastructure, _database);
        foreach (var (key, value) in settings)
            all[key] = value;
        return new ApiFactory(all);
    }

    private static object Body(int numIdeas = 3, string level = "beginner", string? skill = null) => new
    {
        // A skill of its own per request, so no other test's cached result (Redis is shared) can answer it.
        profile = new { experience_level = level, skills = new[] { skill ?? Unique("skill") }, interests = new[] { "games" } },
        num_ideas = numIdeas,
    };

    [Fact]
    public async Task Binko_ai_original_request_is_queued_with_202_location_and_quota_headers()
    {
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));

        var response = await user.PostAsJsonAsync("/api/v1/generations",
            new { profile = new { experience_level = "beginner" }, num_ideas = 3 }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("queued", body.GetProperty("status").GetString());
        Assert.Equal(3, body.GetProperty("num_ideas").GetInt32());
        Assert.Equal($"/api/v1/generations/{body.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
        Assert.Equal("19", Assert.Single(response.Headers.GetValues("X-Quota-Remaining")));
        Assert.True(long.Parse(Assert.Single(response.Headers.GetValues("X-Quota-Reset"))) > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    public static TheoryData<string> InvalidBodies => new(
        """{"profile":{"experience_level":"beginner"},"num_ideas":0}""",
        """{"profile":{"experience_level":"beginner"},"num_ideas":11}""",
        """{"profile":{"experience_level":"wizard"},"num_ideas":3}""",
        """{"profile":{"experience_level":"beginner"},"num_ideas":3,"owner_id":"someone-else"}""",
        """{"profile":{"experience_level":"beginner","skills":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u"]},"num_ideas":3}""",
        """{"num_ideas":3}""",
        """{"profile":{"experience_level":"beginner"},"num_ideas":3,"constraints":{"max_hours":0}}""",
        """{"profile":""");

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_bodies_answer_400_and_queue_nothing(string json)
    {
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));

        var response = await user.PostAsync("/api/v1/generations", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("validation_failed", problem.GetProperty("error_code").GetString());
        await using var db = infrastructure.CreateDbContext(_database);
        Assert.Equal(0, await db.Generations.CountAsync(Ct));
    }

    [Fact]
    public async Task A_user_without_an_inline_or_saved_profile_is_told_to_send_one()
    {
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));

        var response = await user.PostAsJsonAsync("/api/v1/generations", new { num_ideas = 2 }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("profile", out _));
    }

    [Fact]
    public async Task The_saved_profile_is_used_when_none_is_sent()
    {
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        await user.PutAsJsonAsync("/api/v1/me/profile", new { experience_level = "advanced", skills = new[] { "Rust" }, weekly_hours = 9 }, Ct);

        var response = await user.PostAsJsonAsync("/api/v1/generations", new { num_ideas = 2 }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        await using var db = infrastructure.CreateDbContext(_database);
        var request = GenerationRequest.FromJson((await db.Generations.SingleAsync(g => g.Id == id, Ct)).Request);
        Assert.Equal(SkillLevel.Advanced, request.Profile.ExperienceLevel);
        Assert.Equal(["rust"], request.Profile.Skills);
        Assert.Equal(9, request.Profile.WeeklyHours);
    }

    [Fact]
    public async Task Same_idempotency_key_and_body_return_the_same_generation_and_spend_one_unit()
    {
        var subject = Unique("user");
        using var user = _api.CreateClient().WithToken(TestTokens.User(subject));

        var body = Body();
        var first = await PostWithKeyAsync(user, "order-42", body);
        var second = await PostWithKeyAsync(user, "order-42", body);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(await IdOf(first), await IdOf(second));
        Assert.Equal(1, await QuotaUsedAsync($"user:{subject}"));
    }

    [Fact]
    public async Task Same_idempotency_key_with_another_body_is_422()
    {
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        await PostWithKeyAsync(user, "order-43", Body(numIdeas: 3));

        var response = await PostWithKeyAsync(user, "order-43", Body(numIdeas: 4));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("idempotency_key_reused", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task Idempotency_keys_belong_to_their_caller()
    {
        using var alice = _api.CreateClient().WithToken(TestTokens.User(Unique("alice")));
        using var bob = _api.CreateClient().WithToken(TestTokens.User(Unique("bob")));

        var fromAlice = await PostWithKeyAsync(alice, "shared-key", Body());
        var fromBob = await PostWithKeyAsync(bob, "shared-key", Body(numIdeas: 5));

        Assert.Equal(HttpStatusCode.Accepted, fromBob.StatusCode);
        Assert.NotEqual(await IdOf(fromAlice), await IdOf(fromBob));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("ключ")]
    public async Task Malformed_idempotency_key_is_400(string key)
    {
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));

        var response = await PostWithKeyAsync(user, key, Body());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }

    [Fact]
    public async Task A_256_character_idempotency_key_is_400_and_255_is_accepted()
    {
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));

        Assert.Equal(HttpStatusCode.BadRequest, (await PostWithKeyAsync(user, new string('k', 256), Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostWithKeyAsync(user, new string('k', 255), Body())).StatusCode);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_make_one_generation()
    {
        var subject = Unique("user");
        using var user = _api.CreateClient().WithToken(TestTokens.User(subject));

        var body = Body();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostWithKeyAsync(user, "burst", body)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Single((await Task.WhenAll(responses.Select(IdOf))).Distinct());
        Assert.Equal(1, await QuotaUsedAsync($"user:{subject}"));
    }

    [Fact]
    public async Task Fifty_concurrent_requests_against_a_quota_of_twenty_accept_exactly_twenty()
    {
        var subject = Unique("user");
        using var user = _api.CreateClient().WithToken(TestTokens.User(subject));

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(n => user.PostAsJsonAsync("/api/v1/generations", Body(), Ct)));

        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(30, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(20, await QuotaUsedAsync($"user:{subject}"));
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal("quota_exceeded", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error_code").GetString());
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 86_400);
        Assert.Equal("0", Assert.Single(refused.Headers.GetValues("X-Quota-Remaining")));
    }

    [Fact]
    public async Task Pro_plan_gets_the_pro_allowance()
    {
        using var pro = _api.CreateClient().WithToken(TestTokens.User(Unique("pro"), plan: "pro"));

        var quota = await pro.GetFromJsonAsync<JsonElement>("/api/v1/me/quota", Ct);

        Assert.Equal("pro", quota.GetProperty("plan").GetString());
        Assert.Equal(200, quota.GetProperty("limit").GetInt32());
        Assert.Equal(0, quota.GetProperty("used").GetInt32());
    }

    [Fact]
    public async Task A_cached_result_answers_200_at_once_without_spending_quota()
    {
        var subject = Unique("user");
        var skill = Unique("skill");
        var request = GenerationRequests.Normalize(
            new ProfileSnapshot(SkillLevel.Beginner, [skill], ["games"], 0, null), 3, null);
        var cached = new CachedGeneration("cached-model",
            [.. Enumerable.Range(1, 3).Select(n => new IdeaDraft($"Cached idea {n}", "From the cache.", SkillLevel.Beginner, "games", [], ["python"], 5))]);
        await infrastructure.RedisClient.GetDatabase()
            .StringSetAsync(GenerationCache.Key(ServiceSettings.CachePrefix(_database), request.ContentHash(LlmConnection.OfflineModel)), GenerationCache.Serialize(cached));
        using var user = _api.CreateClient().WithToken(TestTokens.User(subject));

        var response = await user.PostAsJsonAsync("/api/v1/generations", Body(skill: skill), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(body.GetProperty("cached").GetBoolean());
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal(["Cached idea 1", "Cached idea 2", "Cached idea 3"],
            body.GetProperty("ideas").EnumerateArray().Select(i => i.GetProperty("title").GetString()));
        Assert.Equal(0, await QuotaUsedAsync($"user:{subject}"));
        var stored = await user.GetFromJsonAsync<JsonElement>($"/api/v1/generations/{body.GetProperty("id").GetGuid()}", Ct);
        Assert.Equal(3, stored.GetProperty("ideas").GetArrayLength());
    }

    [Fact]
    public async Task Beyond_the_in_flight_limit_answers_503_with_retry_after()
    {
        await using var api = Api(("Generation:MaxInFlightPerWorker", "2"));
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        await using (var db = infrastructure.CreateDbContext(_database))
            await db.Generations.ExecuteDeleteAsync(Ct);

        var first = await user.PostAsJsonAsync("/api/v1/generations", Body(skill: "a"), Ct);
        var second = await user.PostAsJsonAsync("/api/v1/generations", Body(skill: "b"), Ct);
        var third = await user.PostAsJsonAsync("/api/v1/generations", Body(skill: "c"), Ct);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        Assert.Equal("overloaded", (await third.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error_code").GetString());
        Assert.NotNull(third.Headers.RetryAfter);
    }

    private static Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/generations") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return client.SendAsync(request, Ct);
    }

    private static async Task<Guid> IdOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

    private async Task<int> QuotaUsedAsync(string subject)
    {
        await using var db = infrastructure.CreateDbContext(_database);
        return await db.QuotaUsage.Where(u => u.SubjectId == subject).SumAsync(u => u.Used, Ct);
    }
}
