using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Generation;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.Servers;

namespace Binko.Tests.Health;

/// <summary>Redis is a soft dependency: with a Redis of its own stopped, the API and the worker stay in rotation
/// (200 Degraded) and callers still browse and generate.</summary>
public sealed class RedisOutageTests(TestInfrastructure infrastructure) : IAsyncLifetime
{
    private RedisServer _redis = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _redis = await RedisServer.StartAsync(new RedisServerOptions
        {
            Password = Secrets.NewPassword(),
            Directory = infrastructure.CreateDirectory("redis-outage"),
        });

    public async ValueTask DisposeAsync() => await _redis.StopAsync();

    [Fact]
    public async Task With_redis_down_both_services_report_200_degraded_and_callers_get_no_5xx()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        var redis = new Dictionary<string, string?> { ["ConnectionStrings:redis"] = _redis.GetConnectionString() };
        var worker = harness.StartWorker(redis);
        await using var api = new ApiFactory(harness.Settings(redis));
        using var client = api.CreateClient().WithToken(TestTokens.User($"user-{Guid.NewGuid():N}"));
        using var workerClient = worker.CreateClient();
        await _redis.StopAsync(Ct);

        foreach (var service in new[] { client, workerClient })
        {
            using var health = await service.GetAsync("/health", Ct);
            var body = await health.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(health.StatusCode == HttpStatusCode.OK, body.ToString());
            Assert.Equal("Degraded", body.GetProperty("status").GetString());
            Assert.Equal("Degraded", body.GetProperty("checks").EnumerateArray()
                .Single(check => check.GetProperty("name").GetString() == "redis").GetProperty("status").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/ideas?limit=5", Ct)).StatusCode);
        using var queued = await client.PostAsJsonAsync("/api/v1/generations",
            new { profile = new { experience_level = "beginner", skills = new[] { "python" } }, num_ideas = 2 }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var finished = await client.FinishedAsync(queued.Headers.Location!.ToString());
        Assert.Equal("completed", finished.GetProperty("status").GetString());
        Assert.Equal(2, finished.Ideas().Count);
    }
}
