using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Binko.Api.Extensions;

public static class AuthenticationExtensions
{
    public const string AdminPolicy = "admin";
    public const string AdminRole = "admin";

    /// <summary>The longest <c>sub</c> accepted: user ids are stored in columns of 200 characters, some with a prefix
    /// (<c>user:</c>), so a longer subject is an invalid token (401) rather than a database error.</summary>
    public const int MaxSubjectLength = 190;

    /// <summary>
    /// JWT bearer tokens, configured from the standard <c>Authentication:Schemes:Bearer</c> section (ValidIssuer,
    /// ValidAudiences, SigningKeys), so tokens from <c>dotnet user-jwts</c> work in Development. Signature, issuer,
    /// audience and lifetime are always validated; claims keep their JWT names (<c>sub</c>, <c>role</c>, <c>plan</c>);
    /// a <c>sub</c> longer than <see cref="MaxSubjectLength"/> fails authentication.
    /// </summary>
    public static void AddBinkoAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddJwtBearer();
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            options.MapInboundClaims = false;
            var validation = options.TokenValidationParameters;
            validation.NameClaimType = "sub";
            validation.RoleClaimType = "role";
            validation.ValidateIssuer = true;
            validation.ValidateAudience = true;
            validation.ValidateLifetime = true;
            validation.ValidateIssuerSigningKey = true;
            validation.RequireSignedTokens = true;
            validation.RequireExpirationTime = true;
            validation.ClockSkew = TimeSpan.FromSeconds(30);

            options.Events ??= new JwtBearerEvents();
            var validated = options.Events.OnTokenValidated;
            options.Events.OnTokenValidated = async context =>
            {
                await validated(context);
                if (context.Principal?.FindFirst("sub")?.Value is { Length: > MaxSubjectLength })
                    context.Fail($"The token's subject is longer than {MaxSubjectLength} characters.");
            };
        });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(AdminRole));
    }

    /// <summary>Only callers with the <c>admin</c> role reach the endpoints (403 for other users, 401 without a token).</summary>
    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(AdminPolicy);

    /// <summary>Any authenticated user (a valid token with a <c>sub</c>).</summary>
    public static TBuilder RequireUser<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireClaim("sub"));
}
