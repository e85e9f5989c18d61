using Binko.Api.Extensions;
using Binko.Api.Generations;
using Binko.Api.Http;
using Binko.Data;
using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.ServiceDefaults.Database;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Npgsql;
using StackExchange.Redis;

namespace Binko.Api.Apis;

/// <summary>Operator routes: the state of the queue, the workers and their LLM circuits, caches and the connection pool.</summary>
public static class AdminApi
{
    /// <summary>The tag that clears the generation response cache (the catalog and profile tags go to HybridCache).</summary>
    public const string GenerationsCacheTag = "generations";

    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").WithTags("Admin").RequireAdmin()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        admin.MapGet("/status", GetStatus)
            .WithName("GetAdminStatus")
            .WithSummary("Queue, workers, LLM circuits, cache statistics, connection pool and database circuit");
        admin.MapDelete("/cache/{tag}", ClearCache)
            .WithName("ClearCache")
            .WithSummary("Clear a cache by tag")
            .WithDescription($"`{GenerationsCacheTag}` empties the generation response cache; `{IdeasApi.CacheTag}` and " +
                "`profile:{user}` clear those cached reads on every replica; `stats:{user}` clears one user's learning " +
                "statistics, `stats` all of them (the admin view's included).");
        return admin;
    }

    /// <summary>While the database circuit is open the status still answers, with the circuit's state and no queue; while
    /// Redis is down, with no workers (their heartbeats are in Redis).</summary>
    public static async Task<Ok<AdminStatus>> GetStatus(BinkoDbContext db, LiveWorkers liveWorkers, GenerationMetrics metrics,
        DatabaseCircuit database, IConfiguration configuration, TimeProvider time, CancellationToken cancellationToken)
    {
        QueueStatus? queue;
        try
        {
            queue = await ReadQueueAsync(db, time, cancellationToken);
        }
        catch (DatabaseUnavailableException)
        {
            queue = null;
        }
        IReadOnlyList<WorkerBeat>? workers;
        try
        {
            workers = await liveWorkers.ListAsync();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            workers = null;
        }
        var (hits, misses) = metrics.CacheStatistics;
        var pool = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("binkodb"));

        return TypedResults.Ok(new AdminStatus(
            queue,
            workers,
            new CacheStatus(hits, misses, hits + misses == 0 ? null : (double)hits / (hits + misses)),
            new PoolStatus(pool.MinPoolSize, pool.MaxPoolSize, pool.CommandTimeout),
            new DatabaseStatus(database.State)));
    }

    private static async Task<QueueStatus> ReadQueueAsync(BinkoDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var counts = await db.Generations.GroupBy(g => g.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var oldestQueued = await db.Generations.Where(g => g.Status == GenerationStatus.Queued)
            .MinAsync(g => (DateTimeOffset?)g.CreatedAt, cancellationToken);
        return new QueueStatus(
            counts.GetValueOrDefault(GenerationStatus.Queued), counts.GetValueOrDefault(GenerationStatus.Running),
            counts.GetValueOrDefault(GenerationStatus.Completed), counts.GetValueOrDefault(GenerationStatus.Failed),
            oldestQueued is { } oldest ? (time.GetUtcNow() - oldest).TotalSeconds : null);
    }

    public static async Task<NoContent> ClearCache(string tag, IConnectionMultiplexer redis, CacheInvalidator invalidator,
        HybridCache cache, IConfiguration configuration, CancellationToken cancellationToken)
    {
        if (tag == GenerationsCacheTag)
        {
            foreach (var server in redis.GetServers())
            {
                await foreach (var key in server.KeysAsync(pattern: GenerationCache.Key(RedisKeys.Prefix(configuration), "*")).WithCancellation(cancellationToken))
                    await redis.GetDatabase().KeyDeleteAsync(key);
            }
        }
        else
        {
            await invalidator.InvalidateAsync(cache, tag, cancellationToken);
        }
        return TypedResults.NoContent();
    }
}

/// <summary><c>queue</c> is null while the database circuit is open, <c>workers</c> while Redis is unavailable.</summary>
public sealed record AdminStatus(QueueStatus? Queue, IReadOnlyList<WorkerBeat>? Workers, CacheStatus GenerationCache,
    PoolStatus ConnectionPool, DatabaseStatus Database);

public sealed record QueueStatus(int Queued, int Running, int Completed, int Failed, double? OldestQueuedSeconds);

/// <summary>Generation response-cache lookups on this replica since it started.</summary>
public sealed record CacheStatus(long Hits, long Misses, double? HitRatio);

public sealed record PoolStatus(int MinPoolSize, int MaxPoolSize, int CommandTimeoutSeconds);

/// <summary>The database circuit on this replica: "closed", "open" or "half-open".</summary>
public sealed record DatabaseStatus(string Circuit);
