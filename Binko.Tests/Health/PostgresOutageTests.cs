using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.Servers;

namespace Binko.Tests.Health;

/// <summary>Stops and restarts a Postgres of its own, so the shared server of the other tests is never touched.</summary>
public sealed class PostgresOutageTests(TestInfrastructure infrastructure) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private PostgresServerOptions _options = null!;
    private PostgresServer _postgres = null!;

    public async ValueTask InitializeAsync()
    {
        _options = new PostgresServerOptions { DataDirectory = infrastructure.CreateDirectory("outage"), Password = Secrets.NewPassword() };
        _postgres = await infrastructure.StartOwnPostgresAsync(_options);
    }

    [Fact]
    public async Task Readiness_goes_unhealthy_and_requests_answer_503_when_postgres_stops_and_all_is_healthy_when_it_returns()
    {
        await using var api = new ApiFactory(ServiceSettings.For(infrastructure, _postgres.GetConnectionString("binkodb")));
        using var client = api.CreateClient();
        await Eventually.ReturnsAsync(() => client.GetAsync("/health"),
            r => r.StatusCode == HttpStatusCode.OK, Patience, "a Healthy API");

        await _postgres.StopAsync(TestContext.Current.CancellationToken);

        var down = await Eventually.ReturnsAsync(() => client.GetAsync("/health"),
            r => r.StatusCode == HttpStatusCode.ServiceUnavailable, Patience, "503 while Postgres is down");
        var body = await down.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var database = body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "binkodb");
        Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive", TestContext.Current.CancellationToken)).StatusCode);
        // A request that needs the database is not a 500: 503 database_unavailable, with when to try again.
        using var profile = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/me/profile")
        {
            Headers = { Authorization = new("Bearer", TestTokens.User("outage-user")) },
        }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, profile.StatusCode);
        Assert.Equal("database_unavailable",
            (await profile.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("error_code").GetString());
        Assert.NotNull(profile.Headers.RetryAfter?.Delta);

        _postgres = await PostgresServer.StartAsync(_options with { Port = _postgres.Port }, TestContext.Current.CancellationToken);

        await Eventually.ReturnsAsync(() => client.GetAsync("/health"),
            r => r.StatusCode == HttpStatusCode.OK, Patience, "Healthy again once Postgres is back");
    }

    public async ValueTask DisposeAsync() => await _postgres.StopAsync();
}
