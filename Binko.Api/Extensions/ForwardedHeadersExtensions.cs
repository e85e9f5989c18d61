using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Binko.Api.Extensions;

public static class ForwardedHeadersExtensions
{
    /// <summary>
    /// <c>X-Forwarded-For</c>/<c>-Proto</c> are believed only from the proxies in <c>ForwardedHeaders:KnownProxies</c>
    /// (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR), in addition to the framework's default of loopback
    /// (127.0.0.0/8 and ::1, for a proxy on the same host). From any other peer the headers are ignored, so a client
    /// cannot pick the IP that guest rate limits are counted against. One hop (ForwardLimit 1): the address the nearest
    /// trusted proxy saw.
    /// </summary>
    public static void AddTrustedProxies(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrustedProxySettings>().BindConfiguration(TrustedProxySettings.SectionName)
            .Validate(settings => settings.KnownProxies.All(proxy => IPAddress.TryParse(proxy, out _)),
                "ForwardedHeaders:KnownProxies must list IP addresses.")
            .Validate(settings => settings.KnownNetworks.All(network => System.Net.IPNetwork.TryParse(network, out _)),
                "ForwardedHeaders:KnownNetworks must list networks in CIDR notation, such as 10.0.0.0/8.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxySettings>>((options, settings) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in settings.Value.KnownProxies)
                if (IPAddress.TryParse(proxy, out var address))
                    options.KnownProxies.Add(address);
            foreach (var network in settings.Value.KnownNetworks)
                if (System.Net.IPNetwork.TryParse(network, out var parsed))
                    options.KnownIPNetworks.Add(parsed);
        });
    }

    /// <summary>First in the pipeline: everything after it (logs, limits, HSTS) sees the client's address and scheme.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app) => app.UseForwardedHeaders();
}

/// <summary>Section <c>ForwardedHeaders</c>.</summary>
public sealed class TrustedProxySettings
{
    public const string SectionName = "ForwardedHeaders";

    public string[] KnownProxies { get; set; } = [];
    public string[] KnownNetworks { get; set; } = [];
}
