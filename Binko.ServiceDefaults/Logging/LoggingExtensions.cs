using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Binko.ServiceDefaults.Logging;

internal static class LoggingExtensions
{
    /// <summary>Readable console logs while developing; one JSON object per line everywhere else,
    /// so log collectors (Azure Container Apps, Loki) can parse them. Scopes carry the request id.</summary>
    public static void ConfigureLogging(this IHostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        if (builder.Environment.IsDevelopment())
        {
            builder.Logging.AddSimpleConsole(options =>
            {
                options.IncludeScopes = true;
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
            });
        }
        else
        {
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
    }
}
