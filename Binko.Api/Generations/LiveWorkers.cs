using Binko.Data.Generations;
using StackExchange.Redis;

namespace Binko.Api.Generations;

/// <summary>The generation workers that sent a heartbeat in the last minute, as the registry in Redis has them:
/// what backpressure, the workers health check and the admin status all count.</summary>
public sealed class LiveWorkers(IConnectionMultiplexer redis, IConfiguration configuration, TimeProvider time)
{
    /// <summary>A worker silent for longer is gone.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    private readonly string _keyPrefix = RedisKeys.Prefix(configuration);

    /// <summary>Throws <see cref="RedisException"/> or <see cref="TimeoutException"/> while Redis is unavailable.</summary>
    public Task<IReadOnlyList<WorkerBeat>> ListAsync() =>
        WorkerRegistry.LiveAsync(redis.GetDatabase(), _keyPrefix, time.GetUtcNow(), MaxAge);
}
