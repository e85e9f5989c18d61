namespace Binko.Tests.Infrastructure;

/// <summary>The settings a Binko service gets from the AppHost, pointed at the test servers.</summary>
public static class ServiceSettings
{
    public static Dictionary<string, string?> For(TestInfrastructure infrastructure, string databaseConnectionString) => new()
    {
        ["ConnectionStrings:binkodb"] = databaseConnectionString,
        ["ConnectionStrings:redis"] = infrastructure.Redis.GetConnectionString(),
        ["Database:ApplyMigrations"] = "false",
        // The worker refuses to start offline in Production (real-process tests run as Production) unless allowed.
        ["Generation:AllowOffline"] = "true",
        // Test classes share one Redis but each has its own database: keep their caches apart too.
        ["Caching:KeyPrefix"] = CachePrefix(databaseConnectionString),
        // ... and their rate-limit counters. Limits high enough for test classes that hammer endpoints; the limiter
        // still decides every request (Binko.Tests.Protection tests it with small limits).
        ["RateLimiting:KeyPrefix"] = $"binko-test:{new Npgsql.NpgsqlConnectionStringBuilder(databaseConnectionString).Database}:rl:",
        ["RateLimiting:Policies:Reads:PermitLimit"] = "100000",
        ["RateLimiting:Policies:Writes:PermitLimit"] = "100000",
        ["RateLimiting:Policies:Generation:PermitLimit"] = "100000",
        ["RateLimiting:Policies:Feedback:PermitLimit"] = "100000",
        ["RateLimiting:GuestDailyLimit"] = "1000000",
        // The shape dotnet user-jwts writes; TestTokens mints tokens for it.
        ["Authentication:Schemes:Bearer:ValidIssuer"] = TestTokens.Issuer,
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = TestTokens.Audience,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = TestTokens.Issuer,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = TestTokens.SigningKey,
    };

    /// <summary>The <c>Caching:KeyPrefix</c> of the services on this database.</summary>
    public static string CachePrefix(string databaseConnectionString) =>
        $"binko-test:{new Npgsql.NpgsqlConnectionStringBuilder(databaseConnectionString).Database}:";
}
