using System.Net;
using System.Text.RegularExpressions;
using Binko.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Binko.Tests.Protection;

public sealed partial class SecurityHeadersTests(TestInfrastructure infrastructure) : IAsyncLifetime
{
    private const string ApiCsp = "default-src 'none'; frame-ancestors 'none'";
    private string _database = "";

    public async ValueTask InitializeAsync() => _database = await infrastructure.CreateMigratedDatabaseAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static TheoryData<string, string?, HttpStatusCode> Responses => new()
    {
        { "/api/v1/ideas", null, HttpStatusCode.OK },
        { $"/api/v1/ideas/{Guid.NewGuid()}", null, HttpStatusCode.NotFound },
        { "/no/such/route", null, HttpStatusCode.NotFound },
        { "/api/v1/me/profile", null, HttpStatusCode.Unauthorized },
        { "/api/v1/ideas?limit=0", null, HttpStatusCode.BadRequest },
        { "/api/v1/ideas", "reads-exhausted", HttpStatusCode.TooManyRequests },
        { "/health", null, HttpStatusCode.OK },
        { "/alive", null, HttpStatusCode.OK },
        { "/openapi/v1.json", null, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Every_response_carries_the_security_headers(string path, string? user, HttpStatusCode expected)
    {
        await using var api = new ProtectedApi(ProtectionSettings.For(infrastructure, _database,
            ("RateLimiting:Policies:Reads:PermitLimit", "1"), ("RateLimiting:Policies:Reads:WindowSeconds", "86400")));
        using var client = api.CreateClient();
        if (user is not null)
        {
            client.WithToken(TestTokens.User(user));
            await client.GetAsync(path, TestContext.Current.CancellationToken);
        }

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.Equal(ApiCsp, Single(response, "Content-Security-Policy"));
        Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security")); // Development
    }

    [Fact]
    public async Task User_data_and_authenticated_responses_are_not_stored_by_caches()
    {
        await using var api = new ProtectedApi(ProtectionSettings.For(infrastructure, _database));
        using var guest = api.CreateClient();
        using var user = api.CreateClient().WithToken(TestTokens.User("cache-control-user"));
        var ct = TestContext.Current.CancellationToken;

        using var profile = await user.GetAsync("/api/v1/me/profile", ct);
        using var anonymousProfile = await guest.GetAsync("/api/v1/me/profile", ct);
        using var authenticatedCatalog = await user.GetAsync("/api/v1/ideas", ct);
        using var anonymousCatalog = await guest.GetAsync("/api/v1/ideas", ct);

        Assert.True(profile.Headers.CacheControl?.NoStore, "GET /api/v1/me/profile");
        Assert.True(anonymousProfile.Headers.CacheControl?.NoStore, "401 on /api/v1/me/profile");
        Assert.True(authenticatedCatalog.Headers.CacheControl?.NoStore, "authenticated GET /api/v1/ideas");
        Assert.NotEqual(true, anonymousCatalog.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Hsts_is_sent_over_https_outside_development()
    {
        await using var api = new ProtectedApi(ProtectionSettings.For(infrastructure, _database, ("environment", "Production")));
        using var client = api.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://api.binko.test") });

        using var response = await client.GetAsync("/api/v1/ideas", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000; includeSubDomains", Single(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_development_scalar_page_gets_a_csp_that_allows_what_it_loads()
    {
        await using var api = new ProtectedApi(ProtectionSettings.For(infrastructure, _database));
        using var client = api.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        using var page = await client.GetAsync("/scalar", ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = Single(page, "Content-Security-Policy");
        Assert.NotEqual(ApiCsp, csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        var html = await page.Content.ReadAsStringAsync(ct);
        foreach (Match script in ScriptSource().Matches(html))
        {
            var source = script.Groups["src"].Value;
            var uri = new Uri(page.RequestMessage!.RequestUri!, source);
            Assert.True(uri.Host == page.RequestMessage.RequestUri!.Host || csp.Contains($"https://{uri.Host}"),
                $"CSP does not allow the script {source}");
            if (uri.Host == page.RequestMessage.RequestUri.Host)
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(uri, ct)).StatusCode);
        }
    }

    private static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.TryGetValues(header, out var values) ? values
            : response.Content.Headers.TryGetValues(header, out var contentValues) ? contentValues : []);

    [GeneratedRegex("<script[^>]*\\ssrc=\"(?<src>[^\"]+)\"")]
    private static partial Regex ScriptSource();
}
