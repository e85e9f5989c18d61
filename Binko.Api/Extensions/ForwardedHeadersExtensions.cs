using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Binko.Api.Extensions;

public static class ForwardedHeadersExtensions
{
    /// <summary>ASP.NET Core's own switch: <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> as an environment variable.</summary>
    private const string AspNetCoreSwitch = "ForwardedHeaders_Enabled";

    /// <summary>
    /// <c>X-Forwarded-For</c>/<c>-Proto</c> are believed only from the proxies in <c>ForwardedHeaders:KnownProxies</c>
    /// (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR), in addition to the framework's default of loopback
    /// (127.0.0.0/8 and ::1, for a proxy on the same host). From any other peer the headers are ignored, so a client
    /// cannot pick the IP that guest rate limits are counted against. One hop (ForwardLimit 1): the address the nearest
    /// trusted proxy saw, which is the last entry of <c>X-Forwarded-For</c>, the one that proxy appended.
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

    /// <summary>
    /// First in the pipeline: everything after it (logs, limits, HSTS) sees the client's address and scheme. Exactly one
    /// pass: with ASP.NET Core's own switch on (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>, which Aspire's deployment
    /// manifest sets for every project, as Container Apps' ingress is a proxy), the framework already runs this
    /// middleware ahead of the app's with the same options, and believes any peer unless
    /// <c>KnownProxies</c>/<c>KnownNetworks</c> name some. A second pass here would take the entry before the one the
    /// ingress appended, which the client wrote itself, for the client's address.
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app) =>
        IsOnInAspNetCore(app.ApplicationServices.GetRequiredService<IConfiguration>()) ? app : app.UseForwardedHeaders();

    /// <summary>The framework's own test (its ForwardedHeadersStartupFilter), on the same configuration.</summary>
    private static bool IsOnInAspNetCore(IConfiguration configuration) =>
        string.Equals(configuration[AspNetCoreSwitch], "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Section <c>ForwardedHeaders</c>.</summary>
public sealed class TrustedProxySettings
{
    public const string SectionName = "ForwardedHeaders";

    public string[] KnownProxies { get; set; } = [];
    public string[] KnownNetworks { get; set; } = [];
}
