using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Binko.Tests.Protection;

/// <summary>
/// Who a guest is. One IPv6 subscriber gets a whole /64 and picks a new address in it whenever it likes, so a guest is
/// its /64: every address of it shares one quota, one rate-limit budget, one daily ceiling and its generations. An
/// IPv4-mapped IPv6 address (<c>::ffff:203.0.113.9</c>, how a dual-stack socket reports an IPv4 client) is that IPv4
/// address. The clients' addresses reach the api as a trusted proxy's <c>X-Forwarded-For</c>.
/// </summary>
public sealed class GuestNetworkTests(TestInfrastructure infrastructure) : IAsyncLifetime
{
    private const int Window = 86_400;
    private const string Proxy = "10.0.0.5";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private string _database = "";

    public async ValueTask InitializeAsync()
    {
        _database = await infrastructure.CreateMigratedDatabaseAsync();
        await ProtectionSettings.EnsureWindowRoomAsync(Window, TimeSpan.FromSeconds(30));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private ProtectedApi Api(params (string, string?)[] settings) => new(ProtectionSettings.For(infrastructure, _database,
        [("ForwardedHeaders:KnownProxies:0", Proxy), ("RateLimiting:Policies:Reads:WindowSeconds", Window.ToString()), .. settings]),
        IPAddress.Parse(Proxy));

    [Fact]
    public async Task Every_address_of_one_ipv6_64_spends_one_rate_limit_budget_and_another_64_has_its_own()
    {
        await using var api = Api(("RateLimiting:Policies:Reads:PermitLimit", "3"));
        using var client = api.CreateClient();
        var network = NewNetwork();

        Assert.Equal(2, RateLimitHeaders.Parse(await ReadAsAsync(client, $"{network}::1")).Remaining);
        Assert.Equal(1, RateLimitHeaders.Parse(await ReadAsAsync(client, $"{network}::2")).Remaining);
        Assert.Equal(0, RateLimitHeaders.Parse(await ReadAsAsync(client, $"{network}:ffff:ffff:ffff:ffff")).Remaining);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await ReadAsAsync(client, $"{network}::abcd:1")).StatusCode);
        Assert.Equal(2, RateLimitHeaders.Parse(await ReadAsAsync(client, $"{NewNetwork()}::1")).Remaining);
    }

    [Fact]
    public async Task The_daily_ceiling_counts_a_64_as_one_guest()
    {
        await using var api = Api(("RateLimiting:Policies:Reads:PermitLimit", "100"), ("RateLimiting:GuestDailyLimit", "2"));
        using var client = api.CreateClient();
        var network = NewNetwork();

        Assert.Equal(HttpStatusCode.OK, (await ReadAsAsync(client, $"{network}::1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReadAsAsync(client, $"{network}::2")).StatusCode);

        using var refused = await ReadAsAsync(client, $"{network}::3");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("2;w=86400", RateLimitHeaders.Policy(refused));
    }

    [Fact]
    public async Task Every_address_of_one_64_spends_one_guest_quota()
    {
        await using var api = Api(("Quotas:Guest", "1"));
        using var client = api.CreateClient();
        var network = NewNetwork();

        using var first = await GenerateAsAsync(client, $"{network}::1");
        using var second = await GenerateAsAsync(client, $"{network}::beef");
        using var elsewhere = await GenerateAsAsync(client, $"{NewNetwork()}::1");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("quota_exceeded", (await second.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error_code").GetString());
        Assert.Equal(HttpStatusCode.Accepted, elsewhere.StatusCode);
    }

    [Fact]
    public async Task A_generation_belongs_to_the_64_of_the_address_that_made_it()
    {
        await using var api = Api();
        using var client = api.CreateClient();
        var network = NewNetwork();

        using var created = await GenerateAsAsync(client, $"{network}::1");
        var location = created.Headers.Location!.ToString();

        Assert.Equal(HttpStatusCode.Accepted, (await ReadAsAsync(client, $"{network}:42:0:0:7", location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ReadAsAsync(client, $"{NewNetwork()}::1", location)).StatusCode);
        Assert.Equal($"guest:{network}::/64", await OwnerAsync(location));
    }

    [Fact]
    public async Task An_ipv4_mapped_address_is_the_ipv4_guest()
    {
        await using var api = Api(("RateLimiting:Policies:Reads:PermitLimit", "3"));
        using var client = api.CreateClient();
        var ipv4 = $"203.0.113.{Random.Shared.Next(1, 255)}";

        using var created = await GenerateAsAsync(client, $"::ffff:{ipv4}");
        var location = created.Headers.Location!.ToString();

        using var read = await ReadAsAsync(client, ipv4, location);
        Assert.Equal(HttpStatusCode.Accepted, read.StatusCode);
        Assert.Equal(1, RateLimitHeaders.Parse(await ReadAsAsync(client, $"::ffff:{ipv4}", location)).Remaining);
        Assert.Equal($"guest:{ipv4}", await OwnerAsync(location));
    }

    /// <summary>A /64 of the documentation prefix that no other test uses, as its first four groups (<c>2001:db8:x:y</c>).</summary>
    private static string NewNetwork() => $"2001:db8:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}";

    private static Task<HttpResponseMessage> ReadAsAsync(HttpClient client, string address, string path = "/api/v1/ideas?limit=1") =>
        SendAsAsync(client, address, new HttpRequestMessage(HttpMethod.Get, path));

    private static Task<HttpResponseMessage> GenerateAsAsync(HttpClient client, string address) =>
        SendAsAsync(client, address, new HttpRequestMessage(HttpMethod.Post, "/api/v1/generations")
        {
            // A skill of its own, so no cached result (Redis is shared) answers instead of the queue.
            Content = JsonContent.Create(new { profile = new { experience_level = "beginner", skills = new[] { $"s{Guid.NewGuid():N}"[..30] } }, num_ideas = 1 }),
        });

    private static Task<HttpResponseMessage> SendAsAsync(HttpClient client, string address, HttpRequestMessage request)
    {
        request.Headers.Add("X-Forwarded-For", address);
        return client.SendAsync(request, Ct);
    }

    private async Task<string> OwnerAsync(string location)
    {
        var id = Guid.Parse(location[(location.LastIndexOf('/') + 1)..]);
        await using var db = infrastructure.CreateDbContext(_database);
        return await db.Generations.Where(g => g.Id == id).Select(g => g.OwnerId).SingleAsync(Ct);
    }
}
