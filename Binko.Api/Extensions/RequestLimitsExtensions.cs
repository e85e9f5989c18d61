using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Binko.Api.Extensions;

public static class RequestLimitsExtensions
{
    /// <summary>
    /// Kestrel's limits from the <c>Limits</c> section: request body size (a larger body answers a 413 problem, through
    /// the exception handler), header size and count (431 from Kestrel), and concurrent connections. No <c>Server</c>
    /// header. These are server-wide: every route, present and future, gets them.
    /// </summary>
    public static void AddRequestLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RequestLimitsOptions>()
            .BindConfiguration(RequestLimitsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitsOptions>>((kestrel, options) =>
        {
            var limits = options.Value;
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalSize;
            kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections;
        });
    }
}

/// <summary>Section <c>Limits</c>.</summary>
public sealed class RequestLimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>64 KiB: the largest legitimate body (a 100-idea bulk import) is well under it.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Kestrel's default, 32 KiB: room for a large bearer token.</summary>
    [Range(4096, 1024 * 1024)]
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    [Range(10, 1000)]
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>Open connections per instance (Kestrel has no limit by default).</summary>
    [Range(1, 1_000_000)]
    public long MaxConcurrentConnections { get; set; } = 10_000;
}
