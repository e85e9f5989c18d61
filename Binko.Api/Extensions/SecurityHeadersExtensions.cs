using Binko.Api.Http;

namespace Binko.Api.Extensions;

public static class SecurityHeadersExtensions
{
    /// <summary>HSTS for a year, subdomains included (sent only over HTTPS, and only outside Development).</summary>
    public static void AddSecurityHeaders(this IHostApplicationBuilder builder) =>
        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });

    /// <summary>
    /// The security headers on every response, problems and 404s included (see <see cref="SecurityHeadersMiddleware"/>),
    /// and HSTS outside Development. Early in the pipeline, so that every response passes through it.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseHsts();
        return app.UseMiddleware<SecurityHeadersMiddleware>();
    }
}
