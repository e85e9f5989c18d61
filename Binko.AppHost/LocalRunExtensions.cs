using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Binko.AppHost;

internal static partial class LocalRunExtensions
{
    /// <summary>
    /// What a local run adds, none of which belongs in a deployment: the projects run as Development, stop before the
    /// servers they use (<see cref="OrderedShutdown"/>), and one line says when Binko is ready and where.
    /// </summary>
    public static void AddLocalRunDefaults(this IDistributedApplicationBuilder builder,
        IResourceBuilder<ProjectResource> api, IResourceBuilder<ProjectResource> worker)
    {
        foreach (var project in new[] { api, worker })
        {
            project.WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development");
            // The projects serve plain HTTP locally. Without this, Aspire looks for a trusted development certificate
            // they do not use, and on a fresh Linux machine greets every run with a "no trusted certificate" error.
#pragma warning disable ASPIRECERTIFICATES001 // evaluation API of Aspire 13; the warning it removes is the reason to use it
            project.WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
        }
        builder.Services.AddHostedService<OrderedShutdown>();

        // The worker waits for the api, which waits for Postgres and Redis: once it is healthy, everything is.
        var reported = 0;
        worker.OnResourceReady((_, @event, _) =>
        {
            if (Interlocked.Exchange(ref reported, 1) == 0)
                LogReady(@event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Binko.AppHost"), api.GetEndpoint("http").Url);
            return Task.CompletedTask;
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Binko is ready: the api is at {ApiUrl}")]
    private static partial void LogReady(ILogger logger, string apiUrl);
}
