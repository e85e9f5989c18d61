using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Binko.ServiceDefaults.Http;

/// <summary>
/// Accepts a well-formed <c>X-Request-ID</c> from the caller or makes one, uses it as the request's
/// TraceIdentifier, echoes it on the response and puts it in the log scope of everything the request logs.
/// </summary>
internal sealed partial class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string HeaderName = "X-Request-ID";

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = Accept(context.Request.Headers[HeaderName].ToString()) ?? Guid.CreateVersion7().ToString("N");
        context.TraceIdentifier = requestId;

        // OnStarting, not now: the exception handler clears headers before it writes its problem response.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = requestId;
            return Task.CompletedTask;
        });

        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = requestId }))
            await next(context);
    }

    /// <summary>Letters, digits and <c>._:-</c>, at most 128 characters: enough for UUIDs, ULIDs and trace ids,
    /// and nothing that could forge a log line or a header.</summary>
    private static string? Accept(string candidate) => WellFormed().IsMatch(candidate) ? candidate : null;

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex WellFormed();
}

internal static class RequestIdExtensions
{
    public static void UseRequestId(this IApplicationBuilder app) => app.UseMiddleware<RequestIdMiddleware>();
}
