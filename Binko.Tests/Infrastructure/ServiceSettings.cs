namespace Binko.Tests.Infrastructure;

/// <summary>The settings a Binko service gets from the AppHost, pointed at the test servers.</summary>
public static class ServiceSettings
{
    public static Dictionary<string, string?> For(TestInfrastructure infrastructure, string databaseConnectionString) => new()
    {
        ["ConnectionStrings:binkodb"] = databaseConnectionString,
        ["ConnectionStrings:redis"] = infrastructure.Redis.GetConnectionString(),
        ["Database:ApplyMigrations"] = "false",
        // Test classes share one Redis but each has its own database: keep their caches apart too.
        ["Caching:KeyPrefix"] = $"binko-test:{new Npgsql.NpgsqlConnectionStringBuilder(databaseConnectionString).Database}:",
        // The shape dotnet user-jwts writes; TestTokens mints tokens for it.
        ["Authentication:Schemes:Bearer:ValidIssuer"] = TestTokens.Issuer,
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = TestTokens.Audience,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = TestTokens.Issuer,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = TestTokens.SigningKey,
    };
}
