using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.Servers;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

/// <summary>API replicas that start while Redis is down still hear each other's cache invalidations once it is back.
/// Uses a Redis of its own; the shared one of the other tests is never touched.</summary>
public sealed class CacheInvalidationOutageTests(TestInfrastructure infrastructure) : IAsyncLifetime
{
    private RedisServerOptions _options = null!;
    private RedisServer _redis = null!;

    public async ValueTask InitializeAsync()
    {
        _options = new RedisServerOptions { Password = Secrets.NewPassword(), Directory = infrastructure.CreateDirectory("redis") };
        _redis = await RedisServer.StartAsync(_options);
    }

    public async ValueTask DisposeAsync() => await _redis.StopAsync();

    [Fact]
    public async Task Replicas_started_without_Redis_subscribe_to_invalidations_when_it_is_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = ServiceSettings.For(infrastructure, await infrastructure.CreateMigratedDatabaseAsync());
        settings["ConnectionStrings:redis"] = _redis.GetConnectionString();
        await _redis.StopAsync(ct);
        await using var first = new ApiFactory(settings);
        await using var second = new ApiFactory(settings);
        var token = TestTokens.User(Unique("user"));
        using var writer = first.CreateClient().WithToken(token);
        using var reader = second.CreateClient().WithToken(token);

        _redis = await RedisServer.StartAsync(_options with { Port = _redis.Port }, ct);
        (await writer.PutAsJsonAsync("/api/v1/me/profile", Profile(hours: 3), ct)).EnsureSuccessStatusCode();
        Assert.Equal(3, await WeeklyHoursAsync(reader)); // now in the reader's cache, for 60 s

        // Each attempt writes anew: a write published before the reader's subscription is in place is not heard.
        var hours = 3;
        await Eventually.ReturnsAsync(async () =>
        {
            (await writer.PutAsJsonAsync("/api/v1/me/profile", Profile(++hours), ct)).EnsureSuccessStatusCode();
            return (Expected: hours, Read: await WeeklyHoursAsync(reader));
        }, result => result.Read == result.Expected, TimeSpan.FromSeconds(30), "the reader to drop its cached profile on a write");
    }

    private static object Profile(int hours) => new { experience_level = "beginner", weekly_hours = hours };

    private static async Task<int> WeeklyHoursAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/v1/me/profile", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("weekly_hours").GetInt32();
    }
}
