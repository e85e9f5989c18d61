using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Data.Generations;
using Binko.Tests.Infrastructure;

namespace Binko.Tests.Health;

public sealed class WorkerLivenessTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Api_readiness_is_degraded_without_a_worker_heartbeat_and_healthy_with_one()
    {
        using var client = api.CreateClient();
        var registry = api.Infrastructure.RedisClient.GetDatabase();
        var prefix = ServiceSettings.CachePrefix(api.DatabaseConnectionString);
        await WorkerRegistry.BeatAsync(registry, prefix, new WorkerBeat("gone", DateTimeOffset.UtcNow.AddMinutes(-5), "closed", 0));

        var without = await Eventually.ReturnsAsync(() => WorkersCheckAsync(client), c => c.Check == "Degraded",
            TimeSpan.FromSeconds(20), "the workers check to be Degraded");
        await WorkerRegistry.BeatAsync(registry, prefix, new WorkerBeat("alive", DateTimeOffset.UtcNow, "closed", 0));
        var with = await WorkersCheckAsync(client);

        Assert.Equal(HttpStatusCode.OK, without.Status);
        Assert.Equal("Healthy", with.Check);
    }

    private static async Task<(HttpStatusCode Status, string? Check)> WorkersCheckAsync(HttpClient client)
    {
        var response = await client.GetAsync("/health");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var check = body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "generation-workers");
        return (response.StatusCode, check.GetProperty("status").GetString());
    }
}
