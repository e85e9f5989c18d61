using System.Net;
using System.Net.Sockets;
using Binko.Data.Entities;
using Binko.GenerationWorker.Llm;
using Binko.GenerationWorker.Options;
using Binko.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Binko.Tests.Generation;

public sealed class SharedRateLimitTests(TestInfrastructure infrastructure)
{
    [Fact]
    public async Task Replicas_together_stay_under_the_shared_outbound_rate()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: true);
        var limit = new Dictionary<string, string?> { ["Generation:OutboundPermitsPerSecond"] = "2" };
        harness.StartWorker(limit);
        harness.StartWorker(limit);

        var queued = new List<Binko.Data.Entities.Generation>();
        for (var i = 0; i < 6; i++)
            queued.Add(await harness.EnqueueAsync(GenerationJobs.Request(numIdeas: 1)));
        foreach (var job in queued)
            Assert.Equal(GenerationStatus.Completed, (await harness.FinishedAsync(job.Id)).Status);

        // 2 a second with a burst of 2, for both replicas together: the 6 permits are granted over at least
        // (6 − 2) × 0.5 s = 2 s. Two separate local limits would grant them within about 0.5 s. The calls are timed where
        // they arrive, after the HTTP hop: a replica's first call (cold connection, JIT) can arrive a few hundred
        // milliseconds late on a busy machine, which shortens the span, hence the margin.
        var calls = harness.Llm!.Requests.OrderBy(r => r.ReceivedAt).ToList();
        Assert.Equal(6, calls.Count);
        var span = calls[^1].ReceivedAt - calls[0].ReceivedAt;
        Assert.True(span >= TimeSpan.FromSeconds(1.4), $"6 calls in {span.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Without_Redis_the_limiter_falls_back_to_a_local_limit()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now
        await using var redis = await ConnectionMultiplexer.ConnectAsync(
            new ConfigurationOptions { EndPoints = { { "127.0.0.1", port } }, AbortOnConnectFail = false, ConnectTimeout = 200 });
        await using var limiter = new OutboundRateLimiter(redis,
            Microsoft.Extensions.Options.Options.Create(new GenerationOptions { OutboundPermitsPerSecond = 100 }),
            new ConfigurationBuilder().Build(), NullLogger<OutboundRateLimiter>.Instance);

        for (var i = 0; i < 3; i++)
        {
            using var lease = await limiter.AcquireAsync(TestContext.Current.CancellationToken);
            Assert.True(lease.IsAcquired);
        }
    }
}
