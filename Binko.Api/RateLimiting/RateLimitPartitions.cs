using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Binko.Api.Http;
using Microsoft.Extensions.Options;

namespace Binko.Api.RateLimiting;

/// <summary>
/// Who a request counts against: an authenticated caller by user id (<c>user:&lt;sub&gt;</c>), a guest by client IP
/// (<c>ip:&lt;address&gt;</c>, an IPv6 guest by its /64: <see cref="GuestNetwork"/>), the address as the forwarded-headers
/// middleware left it, so only a trusted proxy can change it. Each (policy, partition) gets one <see cref="DistributedRateLimiter"/>, which ASP.NET Core caches and
/// disposes once idle.
/// </summary>
internal sealed class RateLimitPartitions(IOptions<RateLimitingOptions> options, RedisWindowCounter redis, RateLimitServices services)
{
    public const string GuestPrefix = "ip:";
    public const string UserPrefix = "user:";
    public const int Day = 86_400;

    private readonly ConcurrentDictionary<string, Func<string, RateLimiter>> _factories = new();

    public RateLimitPartition<string> Get(string policy, HttpContext context)
    {
        var settings = options.Value;
        if (!settings.Enabled)
            return RateLimitPartition.GetNoLimiter("off");

        return RateLimitPartition.Get(KeyOf(context), _factories.GetOrAdd(policy, name =>
            partition => new DistributedRateLimiter(name, partition, settings.Policies.For(name), settings.GuestDailyLimit,
                settings.KeyPrefix, redis, services)));
    }

    public static string KeyOf(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && context.User.FindFirst("sub")?.Value is { Length: > 0 } subject
            ? UserPrefix + subject
            : GuestPrefix + GuestNetwork.Of(context.Connection);
}
