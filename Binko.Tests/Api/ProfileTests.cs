using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Infrastructure;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

public sealed class ProfileTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, object?> Profile(string level = "intermediate", int hours = 6, string goals = "Ship something.") => new()
    {
        ["experience_level"] = level,
        ["skills"] = new[] { "csharp", "sql" },
        ["interests"] = new[] { "games" },
        ["weekly_hours"] = hours,
        ["goals"] = goals,
    };

    [Fact]
    public async Task Get_before_the_first_put_is_404()
    {
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));

        await AssertProblemAsync(await user.GetAsync("/api/v1/me/profile", Ct), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task First_put_creates_then_put_replaces_and_get_reads_it_back()
    {
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        await user.GetAsync("/api/v1/me/profile", Ct); // a cached 404 must not outlive the PUT

        var created = await user.PutAsJsonAsync("/api/v1/me/profile", Profile(hours: 4), Ct);
        var replaced = await user.PutAsJsonAsync("/api/v1/me/profile", Profile(level: "advanced", hours: 10), Ct);
        var read = await user.GetAsync("/api/v1/me/profile", Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var profile = await read.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("advanced", profile.GetProperty("experience_level").GetString());
        Assert.Equal(10, profile.GetProperty("weekly_hours").GetInt32());
        Assert.Equal(["csharp", "sql"], profile.GetProperty("skills").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal($"\"{profile.GetProperty("version").GetUInt32()}\"", read.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task Put_with_a_stale_if_match_is_412()
    {
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var first = await (await user.PutAsJsonAsync("/api/v1/me/profile", Profile(), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        await user.PutAsJsonAsync("/api/v1/me/profile", Profile(hours: 9), Ct);

        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/me/profile") { Content = JsonContent.Create(Profile(hours: 1)) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{first.GetProperty("version").GetUInt32()}\"");
        var response = await user.SendAsync(request, Ct);

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "precondition_failed");
    }

    [Fact]
    public async Task Another_user_can_neither_read_nor_change_my_profile()
    {
        using var alice = api.CreateClient().WithToken(TestTokens.User(Unique("alice")));
        using var bob = api.CreateClient().WithToken(TestTokens.User(Unique("bob")));
        await alice.PutAsJsonAsync("/api/v1/me/profile", Profile(goals: "Alice's goals"), Ct);

        var bobReads = await bob.GetAsync("/api/v1/me/profile", Ct);
        var bobWrites = await bob.PutAsJsonAsync("/api/v1/me/profile", Profile(goals: "Bob's goals"), Ct);
        var alicesProfile = await GetJsonAsync(alice, "/api/v1/me/profile");

        await AssertProblemAsync(bobReads, HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.Created, bobWrites.StatusCode);
        Assert.Equal("Alice's goals", alicesProfile.GetProperty("goals").GetString());
        Assert.Equal("Bob's goals", (await GetJsonAsync(bob, "/api/v1/me/profile")).GetProperty("goals").GetString());
    }

    [Fact]
    public async Task Profile_routes_need_a_token()
    {
        using var guest = api.CreateClient();

        await AssertProblemAsync(await guest.GetAsync("/api/v1/me/profile", Ct), HttpStatusCode.Unauthorized, "unauthorized");
        await AssertProblemAsync(await guest.PutAsJsonAsync("/api/v1/me/profile", Profile(), Ct), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("experience_level", "expert")]
    [InlineData("weekly_hours", 169)]
    [InlineData("weekly_hours", -1)]
    [InlineData("goals", "long")]
    [InlineData("skills", "many")]
    [InlineData("interests", "long-item")]
    public async Task Invalid_profiles_are_400_naming_the_field(string field, object value)
    {
        using var user = api.CreateClient().WithToken(TestTokens.User(Unique("user")));
        var body = Profile();
        body[field] = value switch
        {
            "long" => new string('g', 2001),
            "many" => Enumerable.Range(0, 21).Select(i => $"skill{i}").ToArray(),
            "long-item" => new[] { new string('i', 41) },
            _ => value,
        };

        var response = await user.PutAsJsonAsync("/api/v1/me/profile", body, Ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", field);
        await AssertProblemAsync(await user.GetAsync("/api/v1/me/profile", Ct), HttpStatusCode.NotFound, "not_found");
    }
}
