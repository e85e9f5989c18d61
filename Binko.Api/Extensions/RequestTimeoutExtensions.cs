using System.ComponentModel.DataAnnotations;
using Binko.ServiceDefaults.Database;
using Microsoft.AspNetCore.Http.Timeouts;

namespace Binko.Api.Extensions;

/// <summary>Names of the request-timeout policies: a route group opts in with <c>.WithRequestTimeout(RequestTimeoutPolicies.Generation)</c>.</summary>
public static class RequestTimeoutPolicies
{
    /// <summary>60 s by default (<c>RequestTimeouts:GenerationSeconds</c>): a synchronous generation waits for the model.</summary>
    public const string Generation = "generation";
}

public static class RequestTimeoutExtensions
{
    /// <summary>
    /// ASP.NET Core request timeouts: every endpoint gets the default policy (30 s, <c>RequestTimeouts:DefaultSeconds</c>)
    /// unless it names another. A timed-out request's <c>RequestAborted</c> fires; if the response has not started, the
    /// client gets a 504 problem (<c>error_code: timeout</c>) instead of a hung connection, or, when the database circuit
    /// is open (the request was most likely waiting for a database that stopped answering), a 503
    /// <c>database_unavailable</c> with <c>Retry-After</c>.
    /// </summary>
    public static void AddRequestTimeoutPolicies(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(RequestTimeoutSettings.SectionName);
        builder.Services.AddOptions<RequestTimeoutSettings>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var settings = section.Get<RequestTimeoutSettings>() ?? new RequestTimeoutSettings();

        builder.Services.AddRequestTimeouts(options =>
        {
            options.DefaultPolicy = Policy(settings.DefaultSeconds);
            options.AddPolicy(RequestTimeoutPolicies.Generation, Policy(settings.GenerationSeconds));
        });
    }

    /// <summary>After routing (the policy is endpoint metadata) and authentication.</summary>
    public static IApplicationBuilder UseRequestTimeoutPolicies(this IApplicationBuilder app) => app.UseRequestTimeouts();

    private static RequestTimeoutPolicy Policy(int seconds) => new()
    {
        Timeout = TimeSpan.FromSeconds(seconds),
        TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
        WriteTimeoutResponse = WriteTimeoutResponseAsync,
    };

    /// <summary>The 504 (already set) is left to the status-code pages, which write its problem body.</summary>
    private static Task WriteTimeoutResponseAsync(HttpContext context)
    {
        var database = context.RequestServices.GetRequiredService<DatabaseCircuit>();
        return database.IsClosed ? Task.CompletedTask : DatabaseUnavailableProblem.WriteAsync(context, database.RetryAfter);
    }
}

/// <summary>Section <c>RequestTimeouts</c>.</summary>
public sealed class RequestTimeoutSettings
{
    public const string SectionName = "RequestTimeouts";

    [Range(1, 3600)]
    public int DefaultSeconds { get; set; } = 30;

    [Range(1, 3600)]
    public int GenerationSeconds { get; set; } = 60;
}
