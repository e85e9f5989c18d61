using Binko.Api.Extensions;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using StackExchange.Redis;

namespace Binko.Api.Http;

/// <summary>
/// Removes cache entries by tag here and on every other API replica.
/// <para>HybridCache's <c>RemoveByTagAsync</c> marks the tag invalid in this process and writes the invalidation time
/// to L2, but another process reads a tag's invalidation time from L2 only the first time it meets the tag and then
/// keeps it: without help, other replicas would go on serving their L1 entries, and L2 entries created before the
/// write, until they expire. So each invalidation is also published on a Redis channel, and every replica
/// invalidates the tag locally when it hears it. If Redis is down the publish fails quietly (logged) and the other
/// replicas catch up when their entries expire; a replica that started while Redis was down subscribes once it is back.</para>
/// </summary>
public sealed partial class CacheInvalidator(
    IServiceProvider services, IConnectionMultiplexer redis, IOptions<CachingOptions> options, ILogger<CacheInvalidator> logger)
    : BackgroundService
{
    private static readonly TimeSpan SubscribeRetry = TimeSpan.FromSeconds(2);

    private readonly RedisChannel _channel = RedisChannel.Literal(options.Value.KeyPrefix + "invalidate");
    private readonly string _instance = Guid.NewGuid().ToString("N");

    /// <summary>Removes the tag from <paramref name="cache"/> (the endpoint's own HybridCache) and tells the other replicas.</summary>
    public async Task InvalidateAsync(HybridCache cache, string tag, CancellationToken cancellationToken = default)
    {
        await cache.RemoveByTagAsync(tag, cancellationToken);
        try
        {
            await redis.GetSubscriber().PublishAsync(_channel, $"{_instance}|{tag}");
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogPublishFailed(logger, tag, exception);
        }
    }

    /// <summary>Subscribes to the other replicas' invalidations; while Redis is unreachable, tries again every
    /// <see cref="SubscribeRetry"/> (start-up never waits for Redis; meanwhile this replica's entries just expire).</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Neither the subscription nor the handler of other replicas' messages (it runs in this flow) is traced.
        using var untraced = SuppressInstrumentationScope.Begin();
        while (true)
        {
            try
            {
                var queue = await redis.GetSubscriber().SubscribeAsync(_channel);
                queue.OnMessage(async message =>
                {
                    var text = message.Message.ToString();
                    var separator = text.IndexOf('|');
                    if (separator > 0 && text[..separator] != _instance)
                        await services.GetRequiredService<HybridCache>().RemoveByTagAsync(text[(separator + 1)..]);
                });
                return;
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                LogSubscribeFailed(logger, SubscribeRetry.TotalSeconds, exception);
            }
            await Task.Delay(SubscribeRetry, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the invalidation of cache tag {Tag}; other replicas keep it until it expires")]
    private static partial void LogPublishFailed(ILogger logger, string tag, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to cache invalidations; trying again in {Seconds} s, meanwhile this replica's entries expire on their own")]
    private static partial void LogSubscribeFailed(ILogger logger, double seconds, Exception exception);
}
