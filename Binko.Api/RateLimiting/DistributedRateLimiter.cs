using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Binko.Api.RateLimiting;

/// <summary>
/// The limiter of one partition (<c>user:&lt;sub&gt;</c> or <c>ip:&lt;address&gt;</c>) under one policy, as ASP.NET Core's
/// rate-limiting middleware uses it. Decisions are made in Redis (<see cref="RedisWindowCounter"/>); when Redis cannot
/// decide, an in-process <see cref="FixedWindowRateLimiter"/> with the same limit does, so this replica alone still
/// holds the line. Each decision is put on the request (<see cref="RateLimitDecision"/>) for the response headers.
/// </summary>
internal sealed class DistributedRateLimiter : RateLimiter
{
    private static readonly RateLimitLease Undecided = new DecisionLease(null);

    private readonly string _policy;
    private readonly string _partition;
    private readonly WindowCounter[] _counters;
    private readonly string _policyHeader;
    private readonly RedisWindowCounter _redis;
    private readonly RateLimitServices _services;
    private readonly Lock _gate = new();
    private FixedWindowRateLimiter? _fallback;
    private long _lastUsed;
    private DateTimeOffset _abuseWindowEnds;
    private int _rejectionsInWindow;

    public DistributedRateLimiter(string policy, string partition, WindowLimit limit, int guestDailyLimit, string keyPrefix,
        RedisWindowCounter redis, RateLimitServices services)
    {
        _policy = policy;
        _partition = partition;
        _redis = redis;
        _services = services;
        _lastUsed = services.Time.GetTimestamp();

        // {partition} is a Redis Cluster hash tag: every counter of one client lives in one slot, so the script may touch them together.
        var counters = new List<WindowCounter> { new($"{keyPrefix}{{{partition}}}:{policy}", limit.WindowSeconds, limit.PermitLimit) };
        if (guestDailyLimit > 0 && partition.StartsWith(RateLimitPartitions.GuestPrefix, StringComparison.Ordinal))
            counters.Add(new WindowCounter($"{keyPrefix}{{{partition}}}:day", RateLimitPartitions.Day, guestDailyLimit));
        _counters = [.. counters];
        _policyHeader = string.Join(", ", _counters.Select(c => $"{c.PermitLimit};w={c.WindowSeconds}"));
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            // A fallback window still counting is state worth keeping; otherwise idle since the last request.
            if (_fallback is { IdleDuration: null })
                return null;
            return _services.Time.GetElapsedTime(Interlocked.Read(ref _lastUsed));
        }
    }

    public override RateLimiterStatistics? GetStatistics() => _fallback?.GetStatistics();

    /// <summary>The middleware asks synchronously first; a decision needs Redis, so "not acquired" (without metadata)
    /// sends it on to <see cref="AcquireAsyncCore"/>.</summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Undecided;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsed, _services.Time.GetTimestamp());
        var counts = await _redis.TryHitAsync(_counters, cancellationToken);
        if (counts is null)
            return DecideInProcess(permitCount);

        // The binding counter: the exhausted one with the longest wait, or else the one with the fewest requests left.
        var binding = 0;
        for (var i = 1; i < _counters.Length; i++)
        {
            var exhausted = counts.Used[i] >= _counters[i].PermitLimit;
            if (!counts.Allowed
                ? exhausted && (counts.Used[binding] < _counters[binding].PermitLimit || counts.ResetSeconds[i] > counts.ResetSeconds[binding])
                : _counters[i].PermitLimit - counts.Used[i] < _counters[binding].PermitLimit - counts.Used[binding])
                binding = i;
        }
        var limit = _counters[binding].PermitLimit;
        return Decide(new RateLimitDecision(counts.Allowed, _policyHeader, limit,
            Math.Max(0, limit - counts.Used[binding]), counts.ResetSeconds[binding]));
    }

    /// <summary>Redis could not decide: this replica's own fixed window, with the policy's limit (the guest daily
    /// ceiling needs the shared count and is not applied meanwhile).</summary>
    private RateLimitLease DecideInProcess(int permitCount)
    {
        var fallback = _fallback;
        if (fallback is null)
        {
            lock (_gate)
            {
                fallback = _fallback ??= new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
                {
                    PermitLimit = _counters[0].PermitLimit,
                    Window = TimeSpan.FromSeconds(_counters[0].WindowSeconds),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            }
        }

        using var lease = fallback.AttemptAcquire(permitCount);
        var window = _counters[0].WindowSeconds;
        var reset = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Clamp((int)Math.Ceiling(retryAfter.TotalSeconds), 1, window)
            : window; // the in-process window's exact end is not exposed: its length is the upper bound
        return Decide(new RateLimitDecision(lease.IsAcquired, $"{_counters[0].PermitLimit};w={window}", _counters[0].PermitLimit,
            (int)(fallback.GetStatistics()?.CurrentAvailablePermits ?? 0), reset));
    }

    private DecisionLease Decide(RateLimitDecision decision)
    {
        _services.Accessor.HttpContext?.Features.Set(decision);
        if (!decision.Allowed)
            CountRejection(decision.ResetSeconds);
        return new DecisionLease(decision);
    }

    /// <summary>Repeated rejections of one client are a security event, logged once per window per replica.</summary>
    private void CountRejection(int resetSeconds)
    {
        var now = _services.Time.GetUtcNow();
        bool log;
        lock (_gate)
        {
            if (now >= _abuseWindowEnds)
            {
                _abuseWindowEnds = now.AddSeconds(resetSeconds);
                _rejectionsInWindow = 0;
            }
            log = ++_rejectionsInWindow == _services.AbuseThreshold;
        }
        if (log)
            RateLimitSecurityLog.RepeatedRejections(_services.SecurityLogger, _partition, _policy, _services.AbuseThreshold);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _fallback?.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Acquired or not, with <see cref="MetadataName.RetryAfter"/> on a rejection.</summary>
    private sealed class DecisionLease(RateLimitDecision? decision) : RateLimitLease
    {
        public override bool IsAcquired => decision?.Allowed == true;

        public override IEnumerable<string> MetadataNames =>
            decision is { Allowed: false } ? [MetadataName.RetryAfter.Name] : [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (decision is { Allowed: false } && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = TimeSpan.FromSeconds(decision.ResetSeconds);
                return true;
            }
            metadata = null;
            return false;
        }
    }
}

/// <summary>What the limiter decided for this request, kept in the request's features for the response headers.</summary>
/// <param name="PolicyHeader">The <c>RateLimit-Policy</c> value, e.g. <c>100;w=60, 1000;w=86400</c>.</param>
public sealed record RateLimitDecision(bool Allowed, string PolicyHeader, int Limit, int Remaining, int ResetSeconds);

/// <summary>The singletons each partition's limiter needs.</summary>
internal sealed class RateLimitServices(IHttpContextAccessor accessor, TimeProvider time, ILoggerFactory loggers,
    Microsoft.Extensions.Options.IOptions<RateLimitingOptions> options)
{
    public IHttpContextAccessor Accessor => accessor;
    public TimeProvider Time => time;
    public ILogger SecurityLogger { get; } = loggers.CreateLogger(RateLimitSecurityLog.Category);
    public int AbuseThreshold => options.Value.AbuseThreshold;
}

internal static partial class RateLimitSecurityLog
{
    /// <summary>A category of its own, so security events can be routed and alerted on separately.</summary>
    public const string Category = "Binko.Security.RateLimiting";

    [LoggerMessage(EventId = 4290, EventName = "RateLimitAbuse", Level = LogLevel.Warning,
        Message = "Security event: client {Partition} was refused {Rejections} times by the '{Policy}' rate limit within one window")]
    public static partial void RepeatedRejections(ILogger logger, string partition, string policy, int rejections);
}
