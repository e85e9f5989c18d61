namespace Binko.Tests.Infrastructure;

/// <summary>The settings a Binko service gets from the AppHost, pointed at the test servers.</summary>
public static class ServiceSettings
{
    public static Dictionary<string, string?> For(TestInfrastructure infrastructure, string databaseConnectionString) => new()
    {
        ["ConnectionStrings:binkodb"] = databaseConnectionString,
        ["ConnectionStrings:redis"] = infrastructure.Redis.GetConnectionString(),
        ["Database:ApplyMigrations"] = "false",
    };
}
