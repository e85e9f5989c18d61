using Binko.ServiceDefaults.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Binko.ServiceDefaults.Http;

/// <summary>
/// One line per request: method, route template (never the query string or body), status and duration;
/// a warning when slower than <see cref="ObservabilityOptions.SlowRequestThresholdMs"/>. Probes log at Debug.
/// </summary>
public sealed partial class RequestLoggingMiddleware(
    RequestDelegate next,
    ILogger<RequestLoggingMiddleware> logger,
    IOptionsMonitor<ObservabilityOptions> options,
    TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = time.GetElapsedTime(started);
            var method = context.Request.Method;
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "/";
            var status = context.Response.StatusCode;
            var milliseconds = Math.Round(elapsed.TotalMilliseconds, 1);

            if (elapsed.TotalMilliseconds >= options.CurrentValue.SlowRequestThresholdMs)
                LogSlowRequest(logger, method, route, status, milliseconds, options.CurrentValue.SlowRequestThresholdMs);
            else if (HealthEndpoints.IsInfrastructure(context.Request.Path))
                LogProbe(logger, method, route, status, milliseconds);
            else
                LogRequest(logger, method, route, status, milliseconds);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "HTTP {Method} {Route} responded {StatusCode} in {ElapsedMs} ms")]
    private static partial void LogRequest(ILogger logger, string method, string route, int statusCode, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Slow request: HTTP {Method} {Route} responded {StatusCode} in {ElapsedMs} ms (threshold {ThresholdMs} ms)")]
    private static partial void LogSlowRequest(ILogger logger, string method, string route, int statusCode, double elapsedMs, int thresholdMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "HTTP {Method} {Route} responded {StatusCode} in {ElapsedMs} ms")]
    private static partial void LogProbe(ILogger logger, string method, string route, int statusCode, double elapsedMs);
}

internal static class RequestLoggingExtensions
{
    public static void UseRequestLogging(this IApplicationBuilder app) => app.UseMiddleware<RequestLoggingMiddleware>();
}
