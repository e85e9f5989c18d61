using System.ComponentModel.DataAnnotations;

namespace Binko.Api.RateLimiting;

/// <summary>Section <c>RateLimiting</c>: the limits of each named policy, shared across replicas through Redis.</summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>False lets every request through (the policies stay registered, so routes that name them still map).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests a day per guest IP, across all policies, counted per UTC day. 0 switches the ceiling off.</summary>
    [Range(0, int.MaxValue)]
    public int GuestDailyLimit { get; set; } = 1000;

    /// <summary>Prefix of the counters' Redis keys; deployments (or test classes) sharing one Redis keep theirs apart.</summary>
    [Required, RegularExpression("^[A-Za-z0-9:_.-]{1,64}$")]
    public string KeyPrefix { get; set; } = "binko:rl:";

    /// <summary>Rejections of one partition within one window after which a security event is logged (once per window).</summary>
    [Range(1, int.MaxValue)]
    public int AbuseThreshold { get; set; } = 10;

    /// <summary>A decision Redis has not answered within this long is made in-process instead.</summary>
    [Range(1, 10_000)]
    public int RedisTimeoutMs { get; set; } = 500;

    /// <summary>How long the breaker keeps the limiter off Redis after it failed, before one probe goes through.</summary>
    [Range(1, 300)]
    public int BreakSeconds { get; set; } = 5;

    public RateLimitPolicyLimits Policies { get; set; } = new();
}

/// <summary><c>RateLimiting:Policies:&lt;name&gt;</c>, one entry per <see cref="RateLimitPolicies"/> name.</summary>
public sealed class RateLimitPolicyLimits
{
    public WindowLimit Reads { get; set; } = new() { PermitLimit = 100, WindowSeconds = 60 };
    public WindowLimit Writes { get; set; } = new() { PermitLimit = 30, WindowSeconds = 60 };
    public WindowLimit Generation { get; set; } = new() { PermitLimit = 10, WindowSeconds = 60 };
    public WindowLimit Feedback { get; set; } = new() { PermitLimit = 30, WindowSeconds = 60 };

    public WindowLimit For(string policy) => policy switch
    {
        RateLimitPolicies.Reads => Reads,
        RateLimitPolicies.Writes => Writes,
        RateLimitPolicies.Generation => Generation,
        RateLimitPolicies.Feedback => Feedback,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Not a rate-limit policy."),
    };
}

/// <summary>At most <see cref="PermitLimit"/> requests per fixed window of <see cref="WindowSeconds"/>.</summary>
public sealed class WindowLimit
{
    public int PermitLimit { get; set; }
    public int WindowSeconds { get; set; }

    public bool IsValid => PermitLimit > 0 && WindowSeconds is > 0 and <= 86_400;
}

/// <summary>The names of the rate-limit policies: apply one to a route group with <c>.RequireRateLimiting(RateLimitPolicies.Reads)</c>.</summary>
public static class RateLimitPolicies
{
    public const string Reads = "reads";
    public const string Writes = "writes";
    public const string Generation = "generation";
    public const string Feedback = "feedback";

    public static readonly IReadOnlyList<string> All = [Reads, Writes, Generation, Feedback];
}
