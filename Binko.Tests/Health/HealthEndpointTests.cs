using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Data.Generations;
using Binko.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Binko.Tests.Health;

public sealed class HealthEndpointTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Health_reports_every_check_with_its_status_and_duration()
    {
        using var client = api.CreateClient();
        // A live generation worker, as the worker itself would register it.
        await WorkerRegistry.BeatAsync(api.Infrastructure.RedisClient.GetDatabase(),
            ServiceSettings.CachePrefix(api.DatabaseConnectionString), new WorkerBeat("worker-1", DateTimeOffset.UtcNow, "closed", 0));

        var response = await Eventually.ReturnsAsync(() => client.GetAsync("/health"),
            r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "a Healthy API");

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(["binkodb", "generation-workers", "rate-limiter", "redis", "schema", "self"], checks.Keys.Order());
        Assert.All(checks.Values, check =>
        {
            Assert.Equal("Healthy", check.GetProperty("status").GetString());
            Assert.True(check.GetProperty("duration_ms").GetDouble() >= 0);
        });
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_check_that_never_answers_is_reported_with_its_failure_status_once_its_budget_is_spent()
    {
        await using var factory = api.Factory.WithWebHostBuilder(builder => builder
            .UseSetting("Health:CheckTimeoutMs", "200")
            .ConfigureServices(services => services.AddHealthChecks().AddCheck("hung", new NeverAnswers(), HealthStatus.Degraded)));
        using var client = factory.CreateClient();
        // Without the budget this request would never end: the check ignores its cancellation token.
        client.Timeout = TimeSpan.FromSeconds(10);

        var body = await client.GetFromJsonAsync<JsonElement>("/health", TestContext.Current.CancellationToken);

        var hung = body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "hung");
        Assert.Equal("Degraded", hung.GetProperty("status").GetString());
        Assert.Equal("No answer within 200 ms.", hung.GetProperty("description").GetString());
    }

    /// <summary>A check blocked in a call that ignores cancellation, as a PING to a frozen Redis can be.</summary>
    private sealed class NeverAnswers : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            new TaskCompletionSource<HealthCheckResult>().Task;
    }

    [Fact]
    public async Task Alive_reports_only_liveness()
    {
        using var client = api.CreateClient();

        var response = await client.GetAsync("/alive", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var check = Assert.Single(body.GetProperty("checks").EnumerateArray());
        Assert.Equal("self", check.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Health_output_carries_no_connection_secrets()
    {
        using var client = api.CreateClient();

        var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain("Password", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("127.0.0.1", text);
    }

    [Fact]
    public async Task Metrics_endpoint_serves_prometheus_text()
    {
        using var client = api.CreateClient();
        await client.GetAsync("/alive", TestContext.Current.CancellationToken);

        var response = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text);
    }

    [Fact]
    public async Task Metrics_endpoint_can_be_switched_off()
    {
        await using var factory = new ApiFactory(new Dictionary<string, string?>(
            ServiceSettings.For(api.Infrastructure, api.DatabaseConnectionString))
        {
            ["Observability:MetricsEndpointEnabled"] = "false",
        });
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
