using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Binko.Tests.Infrastructure;

/// <summary>
/// Binko.Api in memory against real Postgres and Redis. Settings are given with UseSetting, which reaches
/// the configuration before Program registers its services (as environment variables would).
/// </summary>
public sealed class ApiFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Binko.Api.Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseSettings(settings);
}

/// <summary>The generation worker in memory, for its health endpoints and background services.</summary>
public sealed class WorkerFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Binko.GenerationWorker.Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseSettings(settings);
}

internal static class WebHostBuilderSettings
{
    public static void UseSettings(this IWebHostBuilder builder, IReadOnlyDictionary<string, string?> settings)
    {
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
    }
}
