namespace Binko.Tests.Infrastructure;

/// <summary>A test class's own migrated database and an API instance on it.</summary>
public sealed class ApiFixture(TestInfrastructure infrastructure) : IAsyncLifetime
{
    public TestInfrastructure Infrastructure => infrastructure;
    public string DatabaseConnectionString { get; private set; } = "";
    public ApiFactory Factory { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        DatabaseConnectionString = await infrastructure.CreateMigratedDatabaseAsync();
        Factory = new ApiFactory(ServiceSettings.For(infrastructure, DatabaseConnectionString));
    }

    public HttpClient CreateClient() => Factory.CreateClient();

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}
