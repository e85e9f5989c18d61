namespace Binko.Api.Http;

/// <summary>
/// <c>X-Content-Type-Options: nosniff</c>, <c>X-Frame-Options: DENY</c>, <c>Referrer-Policy: no-referrer</c> and, for the
/// API, <c>Content-Security-Policy: default-src 'none'; frame-ancestors 'none'</c> (a JSON API loads nothing), on every
/// response; <c>Cache-Control: no-store</c> on the caller's own data (<c>/api/v1/me</c>) and on every authenticated
/// response. Set when the response starts (OnStarting), so problem responses written by the exception handler or
/// status-code pages (which clear headers first) carry them too.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>The Development-only Scalar UI is a page: its own scripts, styles, fonts and images, and calls to this API.</summary>
    public const string DocumentationContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; " +
        "font-src 'self' data: https://fonts.gstatic.com https://fonts.scalar.com; img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'";

    public const string DocumentationPath = "/scalar";
    private static readonly PathString UserDataPath = "/api/v1/me";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments(DocumentationPath)
                ? DocumentationContentSecurityPolicy
                : ApiContentSecurityPolicy;
            if (http.Request.Path.StartsWithSegments(UserDataPath) || http.User.Identity?.IsAuthenticated == true)
                headers.CacheControl = "no-store";
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
