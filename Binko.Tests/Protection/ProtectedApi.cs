using System.Net;
using Binko.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Binko.Tests.Protection;

/// <summary>
/// Binko.Api in memory (or on Kestrel) with per-test settings. <paramref name="remoteIp"/> stands in for the TCP peer the
/// in-memory server does not have: set before the app's own pipeline, as a real connection's address would be.
/// </summary>
public sealed class ProtectedApi(
    IReadOnlyDictionary<string, string?> settings,
    IPAddress? remoteIp = null,
    Action<IServiceCollection>? services = null) : WebApplicationFactory<Binko.Api.Program>
{
    /// <summary>The same API on a real Kestrel (free port of 127.0.0.1), for what the in-memory server does not do:
    /// body-size, header and connection limits, the Server header.</summary>
    public static ProtectedApi OnKestrel(IReadOnlyDictionary<string, string?> settings)
    {
        var api = new ProtectedApi(settings);
        api.UseKestrel(0);
        return api;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSettings(settings);
        builder.ConfigureServices(collection =>
        {
            // First of all startup filters, so that ASP.NET Core's own forwarded-headers filter (on with
            // ForwardedHeaders_Enabled) sees the peer too.
            if (remoteIp is not null)
                collection.Insert(0, ServiceDescriptor.Singleton<IStartupFilter>(new RemoteIpStartupFilter(remoteIp)));
            services?.Invoke(collection);
        });
    }

    private sealed class RemoteIpStartupFilter(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate inner) =>
            {
                context.Connection.RemoteIpAddress = address;
                return inner(context);
            });
            next(app);
        };
    }
}

public static class ProtectionSettings
{
    /// <summary>The usual test settings with rate-limit counters of their own (a fresh key prefix) and the given overrides.</summary>
    public static Dictionary<string, string?> For(TestInfrastructure infrastructure, string database, params (string Key, string? Value)[] overrides)
    {
        var settings = ServiceSettings.For(infrastructure, database);
        settings["RateLimiting:KeyPrefix"] = $"binko-test:rl:{Guid.NewGuid():N}:";
        foreach (var (key, value) in overrides)
            settings[key] = value;
        return settings;
    }

    /// <summary>Fixed windows are cut at multiples of their length since the epoch (Redis' clock, the same machine's).
    /// Waits (polling, bounded by <paramref name="needed"/>) until the current window has at least that long left,
    /// so a test's requests cannot straddle a window boundary.</summary>
    public static async Task EnsureWindowRoomAsync(int windowSeconds, TimeSpan needed)
    {
        static double Left(int window) => window - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 % window;
        if (Left(windowSeconds) >= needed.TotalSeconds)
            return;
        await Eventually.ReturnsAsync(() => Task.FromResult(Left(windowSeconds)), left => left >= needed.TotalSeconds,
            needed + TimeSpan.FromSeconds(5), "the next rate-limit window");
    }
}

public static class RateLimitHeaders
{
    public static (int Limit, int Remaining, int Reset) Parse(HttpResponseMessage response)
    {
        var value = Assert.Single(response.Headers.GetValues("RateLimit"));
        var fields = value.Split(',', StringSplitOptions.TrimEntries)
            .Select(field => field.Split('='))
            .ToDictionary(pair => pair[0], pair => int.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture));
        return (fields["limit"], fields["remaining"], fields["reset"]);
    }

    public static string Policy(HttpResponseMessage response) => Assert.Single(response.Headers.GetValues("RateLimit-Policy"));
}
