using Binko.Data.Generations;
using Binko.GenerationWorker.Options;
using Binko.GenerationWorker.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Binko.GenerationWorker.Jobs;

/// <summary>Writes a completed, non-degraded result to the response cache the API reads (key: the content hash).
/// A Redis outage only costs a cache miss later: the result is already stored in Postgres.</summary>
public sealed partial class ResultCache(IConnectionMultiplexer redis, IOptions<GenerationOptions> options,
    IConfiguration configuration, GenerationMetrics metrics, ILogger<ResultCache> logger)
{
    private readonly string _keyPrefix = RedisKeys.Prefix(configuration);

    public async Task WriteAsync(string contentHash, GenerationOutcome outcome)
    {
        try
        {
            await redis.GetDatabase().StringSetAsync(
                GenerationCache.Key(_keyPrefix, contentHash),
                GenerationCache.Serialize(new CachedGeneration(outcome.Model, outcome.Ideas)),
                TimeSpan.FromSeconds(options.Value.CacheTtlSeconds));
            metrics.CacheWritten();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogCacheWriteFailed(logger, exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the response cache ({Error}); the result is stored, only the cache misses it")]
    private static partial void LogCacheWriteFailed(ILogger logger, string error);
}
