using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace Binko.Api.Extensions;

public static class StartupValidationExtensions
{
    /// <summary>
    /// Fails start-up with one line naming the setting when configuration cannot work: a malformed
    /// <c>ConnectionStrings:binkodb</c> or <c>ConnectionStrings:redis</c> (checked now, before the clients are built;
    /// a missing one is reported by the clients themselves), and, outside Development, JWT settings without an issuer,
    /// an audience, or signing keys / an Authority (checked with ValidateOnStart). Messages never echo the values:
    /// connection strings carry passwords. Call it first.
    /// </summary>
    public static void AddStartupValidation(this IHostApplicationBuilder builder)
    {
        RequireWellFormed(builder.Configuration, "binkodb", connectionString => new NpgsqlConnectionStringBuilder(connectionString).Host is { Length: > 0 });
        RequireWellFormed(builder.Configuration, "redis", connectionString => ConfigurationOptions.Parse(connectionString).EndPoints.Count > 0);

        builder.Services.AddSingleton<IValidateOptions<JwtBearerOptions>, JwtSettingsValidator>();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).ValidateOnStart();
    }

    private static void RequireWellFormed(IConfiguration configuration, string name, Func<string, bool> parses)
    {
        if (configuration.GetConnectionString(name) is not { Length: > 0 } connectionString)
            return;
        bool valid;
        try
        {
            valid = parses(connectionString);
        }
        catch (ArgumentException)
        {
            valid = false;
        }
        if (!valid)
            throw new InvalidOperationException($"Connection string 'ConnectionStrings:{name}' is malformed (environment variable " +
                $"ConnectionStrings__{name}); its value is not shown because it may contain a password.");
    }
}

/// <summary>Outside Development the bearer scheme must say whom to trust: issuer, audience, and keys or an Authority.</summary>
internal sealed class JwtSettingsValidator(IHostEnvironment environment) : IValidateOptions<JwtBearerOptions>
{
    private const string Section = "Authentication:Schemes:Bearer";

    public ValidateOptionsResult Validate(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme || environment.IsDevelopment())
            return ValidateOptionsResult.Skip;

        var parameters = options.TokenValidationParameters;
        var hasAuthority = !string.IsNullOrWhiteSpace(options.Authority) || !string.IsNullOrWhiteSpace(options.MetadataAddress);
        if (string.IsNullOrWhiteSpace(parameters.ValidIssuer) && parameters.ValidIssuers?.Any() != true && !hasAuthority)
            return ValidateOptionsResult.Fail($"{Section}:ValidIssuer is missing: set the token issuer (or {Section}:Authority).");
        if (string.IsNullOrWhiteSpace(parameters.ValidAudience) && parameters.ValidAudiences?.Any() != true && string.IsNullOrWhiteSpace(options.Audience))
            return ValidateOptionsResult.Fail($"{Section}:ValidAudiences is missing: set the audience tokens must be issued for.");
        if (parameters.IssuerSigningKey is null && parameters.IssuerSigningKeys?.Any() != true && !hasAuthority)
            return ValidateOptionsResult.Fail($"{Section}:SigningKeys is missing: set the signing keys (or {Section}:Authority).");
        return ValidateOptionsResult.Success;
    }
}
