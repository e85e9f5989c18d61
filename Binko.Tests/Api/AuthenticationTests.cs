using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Binko.Tests.Infrastructure;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

public sealed class AuthenticationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    public static TheoryData<string, string> BadTokens => new()
    {
        { "wrong signing key", TestTokens.Create("admin-1", ["admin"], signingKey: Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))) },
        { "alg none", TestTokens.Unsigned() },
        { "expired", TestTokens.Create("admin-1", ["admin"], expires: DateTime.UtcNow.AddMinutes(-2)) },
        { "wrong issuer", TestTokens.Create("admin-1", ["admin"], issuer: "https://evil.test") },
        { "wrong audience", TestTokens.Create("admin-1", ["admin"], audience: "someone-else") },
        { "garbage", "not.a.jwt" },
        { "subject longer than 190 characters", TestTokens.Create(new string('u', 191), ["admin"]) },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Invalid_tokens_are_401_on_admin_and_user_routes(string why, string token)
    {
        using var client = api.CreateClient().WithToken(token);

        var write = await client.PostAsJsonAsync("/api/v1/ideas", Idea(Unique("Never stored")), TestContext.Current.CancellationToken);
        var profile = await client.GetAsync("/api/v1/me/profile", TestContext.Current.CancellationToken);

        await AssertProblemAsync(write, HttpStatusCode.Unauthorized, "unauthorized");
        await AssertProblemAsync(profile, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.NotEmpty(why);
    }

    [Fact]
    public async Task A_subject_of_190_characters_is_accepted_and_stored()
    {
        using var client = api.CreateClient().WithToken(TestTokens.User(Unique("user").PadRight(190, 'u')));

        var response = await client.PutAsJsonAsync("/api/v1/me/profile", new { experience_level = "beginner", weekly_hours = 3 },
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Missing_token_is_401_on_writes_but_reads_are_public()
    {
        using var client = api.CreateClient();

        var write = await client.PostAsJsonAsync("/api/v1/ideas", Idea(Unique("Never stored")), TestContext.Current.CancellationToken);
        var read = await client.GetAsync("/api/v1/ideas", TestContext.Current.CancellationToken);

        await AssertProblemAsync(write, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Token_expired_within_the_clock_skew_is_still_accepted()
    {
        using var client = api.CreateClient().WithToken(TestTokens.Create("user-skew", expires: DateTime.UtcNow.AddSeconds(-5)));

        var response = await client.GetAsync("/api/v1/me/profile", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Non_admins_get_403_on_every_catalog_write()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var idea = await CreateIdeaAsync(admin, Idea(Unique("Protected idea")));
        var id = idea.GetProperty("id").GetString();
        using var user = api.CreateClient().WithToken(TestTokens.User("plain-user", plan: "pro"));
        var ct = TestContext.Current.CancellationToken;

        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/ideas/{id}") { Content = JsonContent.Create(Idea(Unique("Hijacked"))) };
        put.Headers.TryAddWithoutValidation("If-Match", $"\"{idea.GetProperty("version").GetUInt32()}\"");
        var responses = new[]
        {
            await user.PostAsJsonAsync("/api/v1/ideas", Idea(Unique("Not allowed")), ct),
            await user.SendAsync(put, ct),
            await user.DeleteAsync($"/api/v1/ideas/{id}", ct),
            await user.PostAsJsonAsync("/api/v1/ideas/bulk", new { items = new[] { Idea(Unique("Not allowed either")) } }, ct),
        };

        foreach (var response in responses)
            await AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
        var after = await GetJsonAsync(admin, $"/api/v1/ideas/{id}");
        Assert.Equal(idea.GetProperty("title").GetString(), after.GetProperty("title").GetString());
    }
}
