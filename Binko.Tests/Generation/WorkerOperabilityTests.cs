using Binko.Data.Generations;
using Binko.GenerationWorker.Jobs;
using Binko.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Binko.Tests.Generation;

public sealed class WorkerOperabilityTests(TestInfrastructure infrastructure)
{
    [Fact]
    public async Task Worker_beats_in_the_registry_reports_its_circuit_and_exports_job_metrics()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        var worker = harness.StartWorker();
        var name = worker.Services.GetRequiredService<WorkerIdentity>().Name;

        await harness.FinishedAsync((await harness.EnqueueAsync(GenerationJobs.Request())).Id);

        var redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.Redis.GetConnectionString());
        await using var _ = redis;
        var beat = await Eventually.ReturnsAsync(
            async () => (await WorkerRegistry.LiveAsync(redis.GetDatabase(), ServiceSettings.CachePrefix(harness.Database), DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30)))
                .SingleOrDefault(b => b.Instance == name),
            b => b is not null, TimeSpan.FromSeconds(10), "the worker's heartbeat");
        Assert.Equal("closed", beat!.Circuit);
        Assert.Equal("Healthy", (await WorkerHarness.HealthAsync(worker))["llm-circuit"]);

        using var client = worker.CreateClient();
        var metrics = await Eventually.ReturnsAsync(() => client.GetStringAsync("/metrics"),
            text => text.Contains("binko_generation_jobs_completed"), TimeSpan.FromSeconds(10), "job metrics");
        Assert.Contains("binko_generation_job_duration", metrics);
        Assert.Contains("binko_generation_cache_writes", metrics);
        Assert.Contains("gen_ai_client", metrics);
    }
}
