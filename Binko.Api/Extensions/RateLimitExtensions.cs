using Binko.Api.RateLimiting;

namespace Binko.Api.Extensions;

public static class RateLimitExtensions
{
    /// <summary>
    /// ASP.NET Core rate limiting with the named policies of <see cref="RateLimitPolicies"/>, each partitioned per user or
    /// guest IP and decided in Redis (shared by all replicas) or, while Redis is down, in-process; limits from the
    /// <c>RateLimiting</c> section. A route group opts in with <c>.RequireRateLimiting(RateLimitPolicies.Reads)</c>;
    /// routes that name no policy (health, metrics, OpenAPI) are never limited.
    /// </summary>
    public static void AddRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitingOptions>()
            .BindConfiguration(RateLimitingOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => RateLimitPolicies.All.All(name => options.Policies.For(name).IsValid),
                "Each RateLimiting:Policies:<name> needs PermitLimit > 0 and WindowSeconds between 1 and 86400.")
            .ValidateOnStart();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<RedisWindowCounter>();
        builder.Services.AddSingleton<RateLimitServices>();
        builder.Services.AddSingleton<RateLimitPartitions>();
        builder.Services.AddHealthChecks().AddCheck<RateLimiterHealthCheck>("rate-limiter");

        builder.Services.AddRateLimiter(options =>
        {
            options.OnRejected = RateLimitResponses.OnRejectedAsync;
            foreach (var policy in RateLimitPolicies.All)
                options.AddPolicy(policy, context => context.RequestServices.GetRequiredService<RateLimitPartitions>().Get(policy, context));
        });
    }

    /// <summary>The limiter and its response headers. After authentication (users are limited by id), before authorization
    /// (a flood of forbidden requests still counts).</summary>
    public static IApplicationBuilder UseRateLimits(this IApplicationBuilder app)
    {
        app.Use(RateLimitResponses.WriteHeadersAsync);
        return app.UseRateLimiter();
    }
}
