using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.Servers;

namespace Binko.Tests.Protection;

/// <summary>Stops and restarts a Redis of its own; the shared one of the other tests is never touched.</summary>
public sealed class RateLimitRedisOutageTests(TestInfrastructure infrastructure) : IAsyncLifetime
{
    private const int Window = 3600;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private RedisServerOptions _options = null!;
    private RedisServer _redis = null!;
    private string _database = "";

    public async ValueTask InitializeAsync()
    {
        _options = new RedisServerOptions { Password = Secrets.NewPassword(), Directory = infrastructure.CreateDirectory("redis") };
        _redis = await RedisServer.StartAsync(_options);
        _database = await infrastructure.CreateMigratedDatabaseAsync();
        await ProtectionSettings.EnsureWindowRoomAsync(Window, TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync() => await _redis.StopAsync();

    [Fact]
    public async Task Redis_down_falls_back_to_in_process_limits_with_health_degraded_then_shares_limits_again()
    {
        var settings = ProtectionSettings.For(infrastructure, _database,
            ("ConnectionStrings:redis", _redis.GetConnectionString()),
            ("RateLimiting:Policies:Reads:PermitLimit", "5"),
            ("RateLimiting:Policies:Reads:WindowSeconds", Window.ToString()),
            ("RateLimiting:BreakSeconds", "1"));
        await using var first = new ProtectedApi(settings);
        await using var second = new ProtectedApi(settings);
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal("Healthy", await RateLimiterHealthAsync(a));

        await _redis.StopAsync(ct);

        // Still served, and still limited: five requests pass on this replica, the sixth is refused.
        for (var i = 1; i <= 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await Get(a, "during-outage")).StatusCode);
        using var refused = await Get(a, "during-outage");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Equal("Degraded", await RateLimiterHealthAsync(a));

        _redis = await RedisServer.StartAsync(_options with { Port = _redis.Port }, ct);

        // Back to Redis once the breaker lets a probe through: each poll is a request (a new user each time, so none is refused).
        var probe = 0;
        await Eventually.ReturnsAsync(async () =>
        {
            await Get(a, $"probe-{++probe}");
            return await RateLimiterHealthAsync(a);
        }, status => status == "Healthy", Patience, "the rate limiter to use Redis again");

        // Shared again: what replica a spent, replica b sees.
        await Eventually.ReturnsAsync(async () =>
        {
            await Get(b, $"probe-b-{++probe}");
            return await RateLimiterHealthAsync(b);
        }, status => status == "Healthy", Patience, "the second replica to use Redis again");
        for (var i = 1; i <= 3; i++)
            Assert.Equal(5 - i, RateLimitHeaders.Parse(await Get(a, "after-outage")).Remaining);
        Assert.Equal(1, RateLimitHeaders.Parse(await Get(b, "after-outage")).Remaining);
    }

    private static Task<HttpResponseMessage> Get(HttpClient client, string user)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ideas");
        request.Headers.Authorization = new("Bearer", TestTokens.User(user));
        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The "rate-limiter" entry of /health (the overall status is Unhealthy meanwhile: the "redis" check fails).</summary>
    private static async Task<string?> RateLimiterHealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return body.GetProperty("checks").EnumerateArray()
            .Single(check => check.GetProperty("name").GetString() == "rate-limiter").GetProperty("status").GetString();
    }
}
