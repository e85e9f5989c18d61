using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Data.Schema;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Binko.Tests.Health;

public sealed class SchemaReadinessTests(TestInfrastructure infrastructure)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Api_readiness_is_unhealthy_while_migrations_are_pending_and_healthy_once_applied()
    {
        var database = await infrastructure.CreateEmptyDatabaseAsync();
        await using var api = new ApiFactory(ServiceSettings.For(infrastructure, database));
        using var client = api.CreateClient();

        var pending = await Eventually.ReturnsAsync(() => SchemaCheckAsync(client),
            check => check.Description.Contains("pending"), Patience, "the schema check to report pending migrations");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pending.Status);

        await using (var db = infrastructure.CreateDbContext(database))
            await DatabaseMigrator.MigrateAsync(db, TestContext.Current.CancellationToken);

        await Eventually.ReturnsAsync(() => client.GetAsync("/health"),
            r => r.StatusCode == HttpStatusCode.OK, Patience, "readiness after migrating");
    }

    [Fact]
    public async Task Api_applies_migrations_and_seed_when_configured_to()
    {
        var database = await infrastructure.CreateEmptyDatabaseAsync();
        await using var api = new ApiFactory(new Dictionary<string, string?>(ServiceSettings.For(infrastructure, database))
        {
            ["Database:ApplyMigrations"] = "true",
        });
        using var client = api.CreateClient();

        await Eventually.ReturnsAsync(() => client.GetAsync("/health"),
            r => r.StatusCode == HttpStatusCode.OK, Patience, "the API to migrate and become ready");

        await using var db = infrastructure.CreateDbContext(database);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.True(await db.Ideas.CountAsync(TestContext.Current.CancellationToken) >= 150);
    }

    [Fact]
    public async Task Worker_waits_for_the_schema_and_never_migrates_it()
    {
        var database = await infrastructure.CreateEmptyDatabaseAsync();
        await using var worker = new WorkerFactory(new Dictionary<string, string?>(ServiceSettings.For(infrastructure, database))
        {
            ["Database:ApplyMigrations"] = "true",
        });
        using var client = worker.CreateClient();

        var pending = await Eventually.ReturnsAsync(() => SchemaCheckAsync(client),
            check => check.Description.Contains("pending"), Patience, "the worker to report pending migrations");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pending.Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive", TestContext.Current.CancellationToken)).StatusCode);

        await using (var db = infrastructure.CreateDbContext(database))
            await DatabaseMigrator.MigrateAsync(db, TestContext.Current.CancellationToken);

        await Eventually.ReturnsAsync(() => client.GetAsync("/health"),
            r => r.StatusCode == HttpStatusCode.OK, Patience, "the worker's readiness after migrating");
    }

    private static async Task<(HttpStatusCode Status, string Description)> SchemaCheckAsync(HttpClient client)
    {
        var response = await client.GetAsync("/health");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var schema = body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "schema");
        return (response.StatusCode, schema.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "");
    }
}
