using System.Threading.RateLimiting;
using Binko.GenerationWorker.Options;
using Microsoft.Extensions.Options;
using Polly.RateLimiting;
using StackExchange.Redis;

namespace Binko.GenerationWorker.Llm;

/// <summary>
/// The outbound LLM rate limit shared by every worker replica: a GCRA (generic cell rate algorithm) in one Lua
/// script on Redis, on Redis' clock, so all replicas together send at most
/// <see cref="GenerationOptions.OutboundPermitsPerSecond"/> requests a second (a burst of one second's worth).
/// A caller over the limit waits its turn rather than failing. When Redis is unreachable each replica falls back
/// to a local token bucket of the same rate.
/// </summary>
public sealed partial class OutboundRateLimiter : IAsyncDisposable
{
    // Returns 0 when a permit is granted, otherwise the microseconds to wait before asking again.
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local interval = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local tat = tonumber(redis.call('GET', KEYS[1]) or now)
        if tat < now then tat = now end
        local allowed_at = tat - burst
        if now < allowed_at then return math.ceil(allowed_at - now) end
        local next_tat = tat + interval
        redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1000)
        return 0
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<OutboundRateLimiter> _logger;
    private readonly RedisKey _key;
    private readonly long _intervalMicroseconds;
    private readonly long _burstMicroseconds;
    private readonly TokenBucketRateLimiter _local;

    public OutboundRateLimiter(IConnectionMultiplexer redis, IOptions<GenerationOptions> options, IConfiguration configuration,
        ILogger<OutboundRateLimiter> logger)
    {
        _redis = redis;
        _logger = logger;
        // Test runs share one Redis between databases: the cache key prefix keeps their limits apart.
        _key = $"{configuration["Caching:KeyPrefix"]}binko:llm:outbound";
        var permits = options.Value.OutboundPermitsPerSecond;
        _intervalMicroseconds = (long)Math.Ceiling(1_000_000 / permits);
        var burst = Math.Max(1, (int)Math.Floor(permits));
        _burstMicroseconds = (burst - 1) * _intervalMicroseconds;
        _local = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMicroseconds(_intervalMicroseconds),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public RateLimiterStrategyOptions Strategy() => new()
    {
        Name = "llm-outbound",
        RateLimiter = args => AcquireAsync(args.Context.CancellationToken),
    };

    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // While disconnected, commands would wait for the client's timeout: go local at once instead.
            if (!_redis.IsConnected)
                return await LocalAsync("not connected", cancellationToken);
            long waitMicroseconds;
            try
            {
                waitMicroseconds = (long)await _redis.GetDatabase().ScriptEvaluateAsync(Script,
                    [_key], [_intervalMicroseconds, _burstMicroseconds]);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                return await LocalAsync(exception.GetType().Name, cancellationToken);
            }
            if (waitMicroseconds <= 0)
                return Granted.Lease;
            await Task.Delay(TimeSpan.FromMicroseconds(waitMicroseconds), cancellationToken);
        }
    }

    private ValueTask<RateLimitLease> LocalAsync(string reason, CancellationToken cancellationToken)
    {
        LogLocalFallback(_logger, reason);
        return _local.AcquireAsync(1, cancellationToken);
    }

    public ValueTask DisposeAsync() => _local.DisposeAsync();

    private sealed class Granted : RateLimitLease
    {
        public static readonly Granted Lease = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared LLM rate limit unavailable ({Error}); using this replica's local limit")]
    private static partial void LogLocalFallback(ILogger logger, string error);
}
