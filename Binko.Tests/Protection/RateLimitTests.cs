using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Binko.Tests.Protection;

public sealed class RateLimitTests(TestInfrastructure infrastructure) : IAsyncLifetime
{
    private const int Window = 3600;
    private string _database = "";

    public async ValueTask InitializeAsync()
    {
        _database = await infrastructure.CreateMigratedDatabaseAsync();
        await ProtectionSettings.EnsureWindowRoomAsync(Window, TimeSpan.FromSeconds(30));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Dictionary<string, string?> Limits(int reads, params (string, string?)[] more) =>
        ProtectionSettings.For(infrastructure, _database,
            [("RateLimiting:Policies:Reads:PermitLimit", reads.ToString()), ("RateLimiting:Policies:Reads:WindowSeconds", Window.ToString()), .. more]);

    [Fact]
    public async Task Allowed_responses_carry_RateLimit_and_the_request_over_the_limit_gets_429_with_Retry_After()
    {
        await using var api = new ProtectedApi(Limits(reads: 3));
        using var client = api.CreateClient().WithToken(TestTokens.User("limited-user"));
        var ct = TestContext.Current.CancellationToken;

        for (var i = 1; i <= 3; i++)
        {
            using var allowed = await client.GetAsync("/api/v1/ideas", ct);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal($"3;w={Window}", RateLimitHeaders.Policy(allowed));
            var (limit, remaining, reset) = RateLimitHeaders.Parse(allowed);
            Assert.Equal(3, limit);
            Assert.Equal(3 - i, remaining);
            Assert.InRange(reset, 1, Window);
        }

        using var rejected = await client.GetAsync("/api/v1/ideas", ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
        var problem = await rejected.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("rate_limited", problem.GetProperty("error_code").GetString());
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        var (_, left, resetIn) = RateLimitHeaders.Parse(rejected);
        Assert.Equal(0, left);
        var retryAfter = (int)rejected.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(retryAfter, 1, Window);
        Assert.Equal(resetIn, retryAfter);
        Assert.Equal($"3;w={Window}", RateLimitHeaders.Policy(rejected));

        // Another user has a budget of their own, and probes are never limited.
        using var other = api.CreateClient().WithToken(TestTokens.User("another-user"));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/ideas", ct)).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            using var health = await client.GetAsync("/alive", ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.False(health.Headers.Contains("RateLimit"));
        }
    }

    [Fact]
    public async Task Guests_are_limited_per_ip_and_also_have_a_daily_ceiling()
    {
        await using var api = new ProtectedApi(Limits(reads: 50, ("RateLimiting:GuestDailyLimit", "2")), IPAddress.Parse("203.0.113.10"));
        using var client = api.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        using var first = await client.GetAsync("/api/v1/ideas", ct);
        Assert.Equal($"50;w={Window}, 2;w=86400", RateLimitHeaders.Policy(first));
        Assert.Equal((2, 1), (RateLimitHeaders.Parse(first).Limit, RateLimitHeaders.Parse(first).Remaining));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/ideas", ct)).StatusCode);

        using var rejected = await client.GetAsync("/api/v1/ideas", ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        var secondsToMidnight = 86_400 - DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 86_400;
        Assert.InRange(rejected.Headers.RetryAfter!.Delta!.Value.TotalSeconds, secondsToMidnight - 5, secondsToMidnight + 5);
    }

    [Fact]
    public async Task Limits_hold_across_two_api_instances_sharing_one_redis()
    {
        var settings = Limits(reads: 4);
        await using var first = new ProtectedApi(settings);
        await using var second = new ProtectedApi(settings);
        using var a = first.CreateClient().WithToken(TestTokens.User("replicated-user"));
        using var b = second.CreateClient().WithToken(TestTokens.User("replicated-user"));
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(3, RateLimitHeaders.Parse(await a.GetAsync("/api/v1/ideas", ct)).Remaining);
        Assert.Equal(2, RateLimitHeaders.Parse(await a.GetAsync("/api/v1/ideas", ct)).Remaining);

        Assert.Equal(1, RateLimitHeaders.Parse(await b.GetAsync("/api/v1/ideas", ct)).Remaining);
        Assert.Equal(0, RateLimitHeaders.Parse(await b.GetAsync("/api/v1/ideas", ct)).Remaining);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await b.GetAsync("/api/v1/ideas", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await a.GetAsync("/api/v1/ideas", ct)).StatusCode);
    }

    [Fact]
    public async Task Writes_have_their_own_policy()
    {
        await using var api = new ProtectedApi(Limits(reads: 100,
            ("RateLimiting:Policies:Writes:PermitLimit", "1"), ("RateLimiting:Policies:Writes:WindowSeconds", Window.ToString())));
        using var client = api.CreateClient().WithToken(TestTokens.User("writer"));
        var ct = TestContext.Current.CancellationToken;
        var profile = new { experience_level = "beginner", skills = new[] { "csharp" }, interests = new[] { "games" }, weekly_hours = 5, goals = "learn" };

        using var put = await client.PutAsJsonAsync("/api/v1/me/profile", profile, ct);
        Assert.True(put.IsSuccessStatusCode, $"{put.StatusCode}: {await put.Content.ReadAsStringAsync(ct)}");
        Assert.Equal($"1;w={Window}", RateLimitHeaders.Policy(put));

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PutAsJsonAsync("/api/v1/me/profile", profile, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me/profile", ct)).StatusCode);
    }

    [Fact]
    public async Task Repeated_rejections_of_one_client_are_logged_once_per_window_as_a_security_event()
    {
        await using var api = new ProtectedApi(Limits(reads: 1, ("RateLimiting:AbuseThreshold", "5")),
            services: services => services.AddLogging(logging => logging.AddFakeLogging()));
        using var client = api.CreateClient().WithToken(TestTokens.User("abuser"));
        var ct = TestContext.Current.CancellationToken;

        for (var i = 0; i < 12; i++)
            await client.GetAsync("/api/v1/ideas", ct);

        var events = api.Services.GetFakeLogCollector().GetSnapshot()
            .Where(record => record.Category == "Binko.Security.RateLimiting").ToList();
        var security = Assert.Single(events);
        Assert.Equal(4290, security.Id.Id);
        Assert.Equal(LogLevel.Warning, security.Level);
        Assert.Contains("user:abuser", security.Message);
    }
}
