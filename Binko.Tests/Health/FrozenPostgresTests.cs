using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.Servers;

namespace Binko.Tests.Health;

/// <summary>
/// Freezes a Postgres of its own (SIGSTOP to the postmaster and its backends: connections stay open, nothing answers,
/// as in a network partition) under a running API, then thaws it.
/// </summary>
public sealed class FrozenPostgresTests(TestInfrastructure infrastructure) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private PostgresServer _postgres = null!;
    private IReadOnlyList<int> _frozen = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _postgres = await infrastructure.StartOwnPostgresAsync(new PostgresServerOptions
        {
            DataDirectory = infrastructure.CreateDirectory("frozen"),
            Password = Secrets.NewPassword(),
        });

    [Fact]
    public async Task A_frozen_database_opens_the_circuit_so_requests_answer_503_at_once_and_health_in_its_budget_until_it_thaws()
    {
        var settings = ServiceSettings.For(infrastructure, _postgres.GetConnectionString("binkodb"));
        settings["Database:Circuit:BreakSeconds"] = "1";
        // Well past the moment the probe opens the circuit (two unanswered probes, about 2 s).
        settings["RequestTimeouts:DefaultSeconds"] = "8";
        await using var api = new ApiFactory(settings);
        // Far below the 30 s request timeout and the 40 s a frozen database used to hold /health: what answers within
        // it was not waiting for Postgres.
        using var client = api.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(10);
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        Assert.Equal(HttpStatusCode.NotFound, (await Profile(client, "before")).StatusCode);
        var accepted = await client.PostAsJsonAsync("/api/v1/generations", new { profile = new { experience_level = "beginner" }, num_ideas = 1 }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        Freeze();
        // A request that reached the database before the circuit opened waits for it (answered below).
        using var patient = api.CreateClient();
        var waiting = Profile(patient, "waiting");

        // Each /health answers within the per-check budget, Unhealthy once the probe has opened the circuit...
        var down = await Eventually.ReturnsAsync(() => DatabaseCheckAsync(client),
            check => check.Status == "Unhealthy" && check.Description.Contains("circuit open"), Patience, "the circuit to open");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.HttpStatus);
        // ...a request that needs the database is turned away at once with when to come back...
        using var refused = await Profile(client, "during");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("database_unavailable", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error_code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        // ...the operator's status still answers, with the circuit's state and without the queue it cannot read...
        var status = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/status", Ct);
        Assert.Equal("open", status.GetProperty("database").GetProperty("circuit").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("queue").ValueKind);
        // ...and the request that was waiting ends at its request timeout: with the circuit open, a 503, not a 504.
        using var timedOut = await waiting;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, timedOut.StatusCode);
        Assert.Equal("database_unavailable", (await timedOut.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error_code").GetString());

        Thaw();

        await Eventually.ReturnsAsync(() => DatabaseCheckAsync(client), check => check.HttpStatus == HttpStatusCode.OK,
            Patience, "Healthy once Postgres answers again");
        Assert.Equal(HttpStatusCode.NotFound, (await Profile(client, "after")).StatusCode);
        status = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/status", Ct);
        Assert.Equal("closed", status.GetProperty("database").GetProperty("circuit").GetString());
        // The generation accepted before the freeze is still there, waiting for a worker.
        Assert.Equal(1, status.GetProperty("queue").GetProperty("queued").GetInt32());
    }

    public async ValueTask DisposeAsync()
    {
        Thaw();
        await _postgres.StopAsync();
    }

    private void Freeze()
    {
        _frozen = [_postgres.ProcessId, .. ProcessTable.ChildrenOf(_postgres.ProcessId)];
        foreach (var pid in _frozen)
            Signals.Send(pid, Signal.SIGSTOP);
    }

    private void Thaw()
    {
        foreach (var pid in _frozen)
            Signals.Send(pid, Signal.SIGCONT);
        _frozen = [];
    }

    /// <summary>A database read no cache can answer: a new user's profile (404 while they have none).</summary>
    private static Task<HttpResponseMessage> Profile(HttpClient client, string user)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me/profile");
        request.Headers.Authorization = new("Bearer", TestTokens.User($"{user}-{Guid.NewGuid():N}"));
        return client.SendAsync(request, Ct);
    }

    private sealed record DatabaseCheck(HttpStatusCode HttpStatus, string? Status, string Description);

    private static async Task<DatabaseCheck> DatabaseCheckAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health", Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var check = body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "binkodb");
        return new DatabaseCheck(response.StatusCode, check.GetProperty("status").GetString(),
            check.TryGetProperty("description", out var description) ? description.GetString() ?? "" : "");
    }
}
