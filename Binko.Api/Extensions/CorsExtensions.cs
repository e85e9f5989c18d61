using Binko.Api.RateLimiting;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace Binko.Api.Extensions;

public static class CorsExtensions
{
    public const string PolicyName = "configured-origins";

    /// <summary>
    /// CORS for the browser origins in <c>Cors:AllowedOrigins</c> only. None configured: no CORS headers at all (browsers
    /// then refuse cross-origin calls). A wildcard is accepted in Development only; elsewhere start-up stops naming the setting.
    /// </summary>
    public static void AddCorsPolicy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CorsSettings>().BindConfiguration(CorsSettings.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CorsSettings>, CorsSettingsValidator>();
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<CorsSettings>>((cors, settings) =>
            cors.AddPolicy(PolicyName, policy =>
            {
                var origins = settings.Value.AllowedOrigins;
                if (origins.Contains(CorsSettings.Wildcard))
                    policy.AllowAnyOrigin();
                else
                    policy.WithOrigins(origins);
                policy.WithMethods("GET", "POST", "PUT", "DELETE")
                    .WithHeaders("Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key", "X-Request-ID")
                    .WithExposedHeaders("ETag", "Location", "Retry-After", "X-Request-ID",
                        RateLimitResponses.LimitHeader, RateLimitResponses.PolicyHeader)
                    .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
            }));
    }

    /// <summary>Before authentication and rate limiting: preflight requests are answered here.</summary>
    public static IApplicationBuilder UseCorsPolicy(this IApplicationBuilder app) => app.UseCors(PolicyName);
}

/// <summary>Section <c>Cors</c>.</summary>
public sealed class CorsSettings
{
    public const string SectionName = "Cors";
    public const string Wildcard = "*";

    /// <summary>Absolute origins, e.g. <c>https://app.binko.ai</c>.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

internal sealed class CorsSettingsValidator(IHostEnvironment environment) : IValidateOptions<CorsSettings>
{
    public ValidateOptionsResult Validate(string? name, CorsSettings options)
    {
        foreach (var origin in options.AllowedOrigins)
        {
            if (origin == CorsSettings.Wildcard)
            {
                if (!environment.IsDevelopment())
                    return ValidateOptionsResult.Fail("Cors:AllowedOrigins must not contain '*' outside Development: list the allowed origins.");
            }
            else if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") ||
                     uri.AbsolutePath != "/" || origin.EndsWith('/'))
            {
                return ValidateOptionsResult.Fail($"Cors:AllowedOrigins contains '{origin}', which is not an origin such as https://app.binko.ai.");
            }
        }
        return ValidateOptionsResult.Success;
    }
}
