using System.Net;
using Binko.Tests.Infrastructure;

namespace Binko.Tests.Protection;

public sealed class ForwardedHeadersAndCorsTests(TestInfrastructure infrastructure) : IAsyncLifetime
{
    private const int Window = 86_400;

    /// <summary>ASP.NET Core's own switch, <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> as an environment variable.</summary>
    private const string AspNetCoreSwitch = "ForwardedHeaders_Enabled";
    private string _database = "";

    public async ValueTask InitializeAsync()
    {
        _database = await infrastructure.CreateMigratedDatabaseAsync();
        await ProtectionSettings.EnsureWindowRoomAsync(Window, TimeSpan.FromSeconds(30));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Dictionary<string, string?> Settings(params (string, string?)[] more) => ProtectionSettings.For(infrastructure, _database,
        [("RateLimiting:Policies:Reads:PermitLimit", "3"), ("RateLimiting:Policies:Reads:WindowSeconds", Window.ToString()), .. more]);

    [Fact]
    public async Task Spoofed_X_Forwarded_For_from_an_untrusted_peer_does_not_move_the_guest_partition()
    {
        await using var api = new ProtectedApi(Settings(("ForwardedHeaders:KnownProxies:0", "10.0.0.5")), IPAddress.Parse("203.0.113.7"));
        using var client = api.CreateClient();

        for (var i = 1; i <= 3; i++)
            Assert.Equal(3 - i, RateLimitHeaders.Parse(await GetAs(client, $"198.51.100.{i}")).Remaining);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAs(client, "198.51.100.99")).StatusCode);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "10.0.0.5", "10.0.0.5")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.1.0.0/16", "10.1.2.3")]
    public async Task X_Forwarded_For_from_a_trusted_proxy_is_the_guest_partition(string setting, string value, string proxy)
    {
        await using var api = new ProtectedApi(Settings((setting, value)), IPAddress.Parse(proxy));
        using var client = api.CreateClient();

        Assert.Equal(2, RateLimitHeaders.Parse(await GetAs(client, "198.51.100.1")).Remaining);
        Assert.Equal(2, RateLimitHeaders.Parse(await GetAs(client, "198.51.100.2")).Remaining);
        Assert.Equal(1, RateLimitHeaders.Parse(await GetAs(client, "198.51.100.1")).Remaining);
    }

    /// <summary>Aspire's deployment manifest sets ASPNETCORE_FORWARDEDHEADERS_ENABLED=true for every project: ASP.NET Core
    /// then believes any peer (the Container Apps ingress is the only way in) for one hop. The ingress appends the address
    /// it saw to what the client sent, so everything before that last entry is the client's own invention.</summary>
    [Fact]
    public async Task With_the_aspire_switch_on_only_the_entry_the_ingress_appended_is_the_guest()
    {
        await using var api = new ProtectedApi(Settings((AspNetCoreSwitch, "true")), IPAddress.Parse("10.0.0.5"));
        using var client = api.CreateClient();

        for (var i = 1; i <= 3; i++)
            Assert.Equal(3 - i, RateLimitHeaders.Parse(await GetAs(client, $"198.51.100.{i}, 203.0.113.7")).Remaining);

        // A fourth forged first entry gets no fresh budget: the limit of 203.0.113.7 is spent.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAs(client, "198.51.100.99, 203.0.113.7")).StatusCode);
        // Nor can a client take another guest's budget by naming it: 203.0.113.8 has all of its own.
        Assert.Equal(2, RateLimitHeaders.Parse(await GetAs(client, "203.0.113.7, 203.0.113.8")).Remaining);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task With_known_proxies_only_the_entry_the_nearest_trusted_proxy_appended_is_the_guest(bool aspNetCoreSwitch)
    {
        await using var api = new ProtectedApi(Settings(("ForwardedHeaders:KnownProxies:0", "10.0.0.5"),
            (AspNetCoreSwitch, aspNetCoreSwitch ? "true" : null)), IPAddress.Parse("10.0.0.5"));
        using var client = api.CreateClient();

        // The client's own entries name another trusted proxy and addresses of its choosing; the proxy appended the last.
        for (var i = 1; i <= 3; i++)
            Assert.Equal(3 - i, RateLimitHeaders.Parse(await GetAs(client, $"198.51.100.{i}, 10.0.0.5, 203.0.113.7")).Remaining);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAs(client, "198.51.100.99, 10.0.0.5, 203.0.113.7")).StatusCode);
    }

    [Fact]
    public async Task Without_configured_origins_there_are_no_cors_headers()
    {
        await using var api = new ProtectedApi(Settings());
        using var client = api.CreateClient();

        using var response = await client.SendAsync(WithOrigin(HttpMethod.Get, "https://app.binko.test"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Only_configured_origins_get_cors_headers()
    {
        await using var api = new ProtectedApi(Settings(("Cors:AllowedOrigins:0", "https://app.binko.test")));
        using var client = api.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        using var allowed = await client.SendAsync(WithOrigin(HttpMethod.Get, "https://app.binko.test"), ct);
        using var other = await client.SendAsync(WithOrigin(HttpMethod.Get, "https://evil.example"), ct);
        using var preflightRequest = WithOrigin(HttpMethod.Options, "https://app.binko.test");
        preflightRequest.Headers.Add("Access-Control-Request-Method", "PUT");
        preflightRequest.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        using var preflight = await client.SendAsync(preflightRequest, ct);

        Assert.Equal("https://app.binko.test", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("RateLimit", Assert.Single(allowed.Headers.GetValues("Access-Control-Expose-Headers")));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Contains("PUT", Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Methods")));
    }

    [Fact]
    public async Task A_wildcard_origin_stops_start_up_outside_development_naming_the_setting()
    {
        await using var api = new ProtectedApi(Settings(("Cors:AllowedOrigins:0", "*"), ("environment", "Production")));

        var failure = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        Assert.Contains("Cors:AllowedOrigins", failure.Message);
    }

    [Fact]
    public async Task A_wildcard_origin_is_allowed_in_development()
    {
        await using var api = new ProtectedApi(Settings(("Cors:AllowedOrigins:0", "*")));
        using var client = api.CreateClient();

        using var response = await client.SendAsync(WithOrigin(HttpMethod.Get, "http://localhost:5173"), TestContext.Current.CancellationToken);

        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    private static Task<HttpResponseMessage> GetAs(HttpClient client, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ideas");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static HttpRequestMessage WithOrigin(HttpMethod method, string origin)
    {
        var request = new HttpRequestMessage(method, "/api/v1/ideas");
        request.Headers.Add("Origin", origin);
        return request;
    }
}
