using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Api.Generations;
using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.Tests.Infrastructure;
using Binko.Tests.Protection;
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
        // No worker runs here, so this class's queued jobs pile up: only the backpressure test limits them.
        all["Generation:MaxInFlightPerWorker"] = "10000";
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
        await using var api = Api(("Quotas:InFlight:Free", "50"));
        using var user = api.CreateClient().WithToken(TestTokens.User(subject));

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

    public static TheoryData<string, string[]> ContradictoryBodies => new()
    {
        // The only skill is to be avoided: every idea must use one of the person's skills and none to avoid.
        { """{"profile":{"experience_level":"beginner","skills":["python"]},"num_ideas":3,"constraints":{"avoid_technologies":["python"]}}""",
            ["profile.skills", "constraints.avoid_technologies"] },
        // All of them, whatever their case.
        { """{"profile":{"experience_level":"beginner","skills":["Python","Go"]},"num_ideas":3,"constraints":{"avoid_technologies":["go"," PYTHON"]}}""",
            ["profile.skills", "constraints.avoid_technologies"] },
        // A technology both to use and to avoid.
        { """{"profile":{"experience_level":"beginner"},"num_ideas":3,"constraints":{"use_technologies":["rust"],"avoid_technologies":["Rust"]}}""",
            ["constraints.use_technologies", "constraints.avoid_technologies"] },
    };

    [Theory]
    [MemberData(nameof(ContradictoryBodies))]
    public async Task A_request_no_idea_could_satisfy_is_a_400_naming_its_fields_and_spends_nothing(string json, string[] fields)
    {
        var subject = Unique("user");
        using var user = _api.CreateClient().WithToken(TestTokens.User(subject));

        var response = await user.PostAsync("/api/v1/generations", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("validation_failed", problem.GetProperty("error_code").GetString());
        Assert.Equal(fields.Order(), problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal(0, await QuotaUsedAsync($"user:{subject}"));
        await using var db = infrastructure.CreateDbContext(_database);
        Assert.Equal(0, await db.Generations.CountAsync(g => g.OwnerId == $"user:{subject}", Ct));
    }

    [Fact]
    public async Task Avoiding_one_of_several_skills_is_accepted()
    {
        using var user = _api.CreateClient().WithToken(TestTokens.User(Unique("user")));

        var response = await user.PostAsJsonAsync("/api/v1/generations", new
        {
            profile = new { experience_level = "beginner", skills = new[] { "python", Unique("skill") } },
            num_ideas = 2,
            constraints = new { avoid_technologies = new[] { "python" } },
        }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("free", 2)]
    [InlineData("pro", 3)]
    public async Task A_caller_beyond_their_plans_in_flight_cap_gets_429_and_other_callers_are_still_served(string? plan, int cap)
    {
        var settings = ServiceSettings.For(infrastructure, _database);
        settings["Generation:MaxInFlightPerWorker"] = "10000";
        settings["Quotas:InFlight:Guest"] = "1";
        settings["Quotas:InFlight:Free"] = "2";
        settings["Quotas:InFlight:Pro"] = "3";
        // Guests are told apart by their address: each caller has an API instance that sees its own.
        await using var callerApi = new ProtectedApi(settings, IPAddress.Parse("203.0.113.71"));
        await using var otherApi = new ProtectedApi(settings, IPAddress.Parse("203.0.113.72"));
        using var caller = Client(callerApi, plan);
        using var other = Client(otherApi, plan);

        var accepted = new List<HttpResponseMessage>();
        for (var n = 0; n < cap; n++)
            accepted.Add(await caller.PostAsJsonAsync("/api/v1/generations", Body(), Ct));
        var refused = await caller.PostAsJsonAsync("/api/v1/generations", Body(), Ct);
        var fromOther = await other.PostAsJsonAsync("/api/v1/generations", Body(), Ct);

        Assert.All(accepted, response => Assert.Equal(HttpStatusCode.Accepted, response.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("too_many_in_flight", problem.GetProperty("error_code").GetString());
        Assert.True(problem.TryGetProperty("trace_id", out _));
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        // The refusal spent no quota unit and stored nothing.
        var first = await IdOf(accepted[0]);
        var owner = await OwnerOfAsync(first);
        Assert.Equal(cap, await QuotaUsedAsync(owner));
        await using (var db = infrastructure.CreateDbContext(_database))
            Assert.Equal(cap, await db.Generations.CountAsync(g => g.OwnerId == owner, Ct));
        Assert.Equal(HttpStatusCode.Accepted, fromOther.StatusCode);

        // Once one of the caller's generations has finished, they may queue another.
        await using (var db = infrastructure.CreateDbContext(_database))
            await CompleteAsync(db, first);
        Assert.Equal(HttpStatusCode.Accepted, (await caller.PostAsJsonAsync("/api/v1/generations", Body(), Ct)).StatusCode);
    }

    [Fact]
    public async Task Concurrent_requests_of_one_caller_never_pass_the_in_flight_cap()
    {
        var subject = Unique("user");
        await using var api = Api(("Quotas:InFlight:Free", "3"));
        using var user = api.CreateClient().WithToken(TestTokens.User(subject));

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => user.PostAsJsonAsync("/api/v1/generations", Body(), Ct)));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(3, await QuotaUsedAsync($"user:{subject}"));
    }

    [Fact]
    public async Task A_cached_result_is_never_served_again_to_a_signed_in_person_who_was_shown_it()
    {
        var skill = Unique("skill");
        await CacheAsync(skill, "Shown once");
        using var alice = _api.CreateClient().WithToken(TestTokens.User(Unique("alice")));
        using var bob = _api.CreateClient().WithToken(TestTokens.User(Unique("bob")));
        using var guest = _api.CreateClient();

        var aliceFirst = await alice.PostAsJsonAsync("/api/v1/generations", Body(skill: skill), Ct);
        var aliceAgain = await alice.PostAsJsonAsync("/api/v1/generations", Body(skill: skill), Ct);
        var bobFirst = await bob.PostAsJsonAsync("/api/v1/generations", Body(skill: skill), Ct);
        var guestFirst = await guest.PostAsJsonAsync("/api/v1/generations", Body(skill: skill), Ct);
        var guestAgain = await guest.PostAsJsonAsync("/api/v1/generations", Body(skill: skill), Ct);

        Assert.Equal(HttpStatusCode.OK, aliceFirst.StatusCode);
        // Alice was shown those titles: her identical request is generated instead (queued, one quota unit).
        Assert.Equal(HttpStatusCode.Accepted, aliceAgain.StatusCode);
        Assert.Equal(1, await QuotaUsedAsync(await OwnerOfAsync(await IdOf(aliceAgain))));
        // Bob was not: the cache answers him.
        Assert.Equal(HttpStatusCode.OK, bobFirst.StatusCode);
        // A guest, known only by an address many people may share, is served the cached result again.
        Assert.Equal(HttpStatusCode.OK, guestFirst.StatusCode);
        Assert.Equal(HttpStatusCode.OK, guestAgain.StatusCode);
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

    /// <summary>A guest (no token) when <paramref name="plan"/> is null, otherwise a new user on that plan.</summary>
    private static HttpClient Client(ProtectedApi api, string? plan)
    {
        var client = api.CreateClient();
        return plan is null ? client : client.WithToken(TestTokens.User(Unique("user"), plan: plan == "pro" ? "pro" : null));
    }

    /// <summary>Puts a result of three ideas titled "<paramref name="title"/> 1..3" in the response cache, for
    /// <see cref="Body"/> with <paramref name="skill"/>.</summary>
    private async Task CacheAsync(string skill, string title)
    {
        var request = GenerationRequests.Normalize(new ProfileSnapshot(SkillLevel.Beginner, [skill], ["games"], 0, null), 3, null);
        var cached = new CachedGeneration("cached-model",
            [.. Enumerable.Range(1, 3).Select(n => new IdeaDraft($"{title} {n}", "From the cache.", SkillLevel.Beginner, "games", [], ["python"], 5))]);
        await infrastructure.RedisClient.GetDatabase().StringSetAsync(
            GenerationCache.Key(ServiceSettings.CachePrefix(_database), request.ContentHash(LlmConnection.OfflineModel)),
            GenerationCache.Serialize(cached));
    }

    private static async Task CompleteAsync(Binko.Data.BinkoDbContext db, Guid id)
    {
        while (await QueueDriver.CompleteNextAsync(db, cancellationToken: Ct) is { } completed && completed != id)
        {
        }
    }

    private async Task<string> OwnerOfAsync(Guid id)
    {
        await using var db = infrastructure.CreateDbContext(_database);
        return await db.Generations.Where(g => g.Id == id).Select(g => g.OwnerId).SingleAsync(Ct);
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
