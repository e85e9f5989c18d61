using System.Globalization;
using System.Threading.RateLimiting;
using Binko.ServiceDefaults.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Binko.Api.RateLimiting;

/// <summary>
/// The rate-limit response headers, in the form of the IETF draft <c>draft-ietf-httpapi-ratelimit-headers-07</c>
/// (the last revision with <c>RateLimit: limit=, remaining=, reset=</c> and <c>RateLimit-Policy: &lt;limit&gt;;w=&lt;window&gt;</c>),
/// on every response of a limited route, allowed or not; and the 429 problem, with <c>Retry-After</c>.
/// </summary>
internal static class RateLimitResponses
{
    public const string PolicyHeader = "RateLimit-Policy";
    public const string LimitHeader = "RateLimit";

    /// <summary>Runs before the limiter: once the response starts, writes whatever it decided for this request
    /// (OnStarting, as the exception handler clears headers before its problem response).</summary>
    public static Task WriteHeadersAsync(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            if (http.Features.Get<RateLimitDecision>() is { } decision)
            {
                var headers = http.Response.Headers;
                headers[PolicyHeader] = decision.PolicyHeader;
                headers[LimitHeader] = string.Create(CultureInfo.InvariantCulture,
                    $"limit={decision.Limit}, remaining={decision.Remaining}, reset={decision.ResetSeconds}");
                if (!decision.Allowed)
                    headers.RetryAfter = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
            }
            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    /// <summary>429 problem (<c>error_code: rate_limited</c>) with <c>Retry-After</c>: the seconds until the window resets.</summary>
    public static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = string.Create(CultureInfo.InvariantCulture, $"Rate limit exceeded; retry in {seconds} s."),
                Extensions = { ["error_code"] = ErrorCodes.RateLimited },
            },
        });
    }
}
