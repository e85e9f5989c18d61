// bench/stats.sh's uncached measurement: what GET /api/v1/me/stats (and /admin/stats) computes on every cache miss,
// LearningStatsQuery.ComputeAsync through EF Core and Npgsql as the api runs it, called REQUESTS times from CONCURRENCY
// loops, each call on a pooled DbContext. Prints one line per variant: calls, p50/p95/p99/max (ms), calls per second, and
// the numbers computed (so a wrong seed shows). The connection string comes from ConnectionStrings__binkodb.
//
//   dotnet StatsQuery.dll <user id> <requests> <concurrency>
using System.Diagnostics;
using Binko.Api.Learning;
using Binko.Api.Models;
using Binko.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

if (args.Length != 3 || !int.TryParse(args[1], out var requests) || !int.TryParse(args[2], out var concurrency))
{
    Console.Error.WriteLine("usage: StatsQuery <user id> <requests> <concurrency>");
    return 2;
}
var user = args[0];
var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__binkodb")
    ?? throw new InvalidOperationException("Set ConnectionStrings__binkodb.");
var contexts = new PooledDbContextFactory<BinkoDbContext>(
    new DbContextOptionsBuilder<BinkoDbContext>().UseNpgsql(connectionString).UseBinkoConventions().Options);
var today = DateOnly.FromDateTime(DateTime.UtcNow);

Console.WriteLine($"{"variant",-22} {"calls",6} {"p50_ms",8} {"p95_ms",8} {"p99_ms",8} {"max_ms",8} {"calls/s",8}  computed");
await MeasureAsync("me", user, null);
await MeasureAsync("me?category=web", user, "web");
await MeasureAsync("admin", null, null);   // all users
return 0;

async Task MeasureAsync(string name, string? userId, string? category)
{
    LearningStatsResponse? stats = null;
    for (var i = 0; i < Math.Min(requests, 50); i++)   // warm-up: JIT, connection pool, Postgres' caches
        stats = await ComputeAsync(userId, category);

    var latencies = new double[requests];
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        for (var call = Interlocked.Increment(ref next); call < requests; call = Interlocked.Increment(ref next))
        {
            var started = Stopwatch.GetTimestamp();
            await ComputeAsync(userId, category);
            latencies[call] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }));
    var seconds = clock.Elapsed.TotalSeconds;

    Array.Sort(latencies);
    double Percentile(double p) => latencies[Math.Min(requests - 1, (int)Math.Ceiling(p * requests) - 1)];
    Console.WriteLine($"{name,-22} {requests,6} {Percentile(0.50),8:0.0} {Percentile(0.95),8:0.0} {Percentile(0.99),8:0.0} " +
        $"{latencies[^1],8:0.0} {requests / seconds,8:0}  generations={stats!.Generations} ideas_shown={stats.IdeasShown} " +
        $"feedback={stats.Feedback} approval_rate={stats.ApprovalRate} mean_score={stats.MeanScore}");
}

async Task<LearningStatsResponse> ComputeAsync(string? userId, string? category)
{
    await using var db = await contexts.CreateDbContextAsync();
    return await LearningStatsQuery.ComputeAsync(db, userId, category, today, CancellationToken.None);
}
