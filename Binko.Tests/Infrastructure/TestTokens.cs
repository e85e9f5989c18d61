using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Binko.Tests.Infrastructure;

/// <summary>
/// Mints JWTs the test API accepts (the issuer, audience and signing key that <see cref="ServiceSettings"/> gives it
/// under Authentication:Schemes:Bearer), and the broken ones it must refuse.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "https://binko.test";
    public const string Audience = "binko-api";

    /// <summary>The run's signing key, base64 as dotnet user-jwts stores it.</summary>
    public static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Admin(string subject = "admin-1") => Create(subject, roles: ["admin"]);

    public static string User(string subject, string? plan = null) => Create(subject, plan: plan);

    public static string Create(
        string subject,
        string[]? roles = null,
        string? plan = null,
        string issuer = Issuer,
        string audience = Audience,
        string? signingKey = null,
        DateTime? expires = null)
    {
        var claims = new List<Claim> { new("sub", subject) };
        claims.AddRange((roles ?? []).Select(role => new Claim("role", role)));
        if (plan is not null)
            claims.Add(new Claim("plan", plan));

        var expiry = expires ?? DateTime.UtcNow.AddMinutes(10);
        var descriptor = new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expiry.AddMinutes(-20),
            NotBefore = expiry.AddMinutes(-20),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Convert.FromBase64String(signingKey ?? SigningKey)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) claiming to be an admin.</summary>
    public static string Unsigned(string subject = "admin-1")
    {
        var now = DateTimeOffset.UtcNow;
        var header = Base64Url("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64Url($$"""{"sub":"{{subject}}","role":"admin","iss":"{{Issuer}}","aud":"{{Audience}}","nbf":{{now.AddMinutes(-1).ToUnixTimeSeconds()}},"exp":{{now.AddMinutes(10).ToUnixTimeSeconds()}}}""");
        return $"{header}.{payload}.";
    }

    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string Base64Url(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
}
