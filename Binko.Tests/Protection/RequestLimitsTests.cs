using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Binko.Tests.Infrastructure;

namespace Binko.Tests.Protection;

/// <summary>On a real Kestrel: the in-memory test server enforces none of the server's limits.</summary>
public sealed class RequestLimitsTests(TestInfrastructure infrastructure) : IAsyncLifetime
{
    private ProtectedApi _api = null!;

    public async ValueTask InitializeAsync()
    {
        _api = ProtectedApi.OnKestrel(ProtectionSettings.For(infrastructure, await infrastructure.CreateMigratedDatabaseAsync()));
        _api.StartServer();
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_body_over_64_KiB_gets_a_413_problem()
    {
        using var client = _api.CreateClient().WithToken(TestTokens.User("big-body"));
        var ct = TestContext.Current.CancellationToken;
        var body = $$"""{"experience_level":"beginner","weekly_hours":5,"goals":"{{new string('x', 65 * 1024)}}"}""";

        using var response = await client.PutAsync("/api/v1/me/profile", new StringContent(body, Encoding.UTF8, "application/json"), ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("payload_too_large", problem.GetProperty("error_code").GetString());
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task A_body_under_the_limit_is_read()
    {
        using var client = _api.CreateClient().WithToken(TestTokens.User("small-body"));
        var body = $$"""{"experience_level":"beginner","weekly_hours":5,"goals":"{{new string('x', 1000)}}"}""";

        using var response = await client.PutAsync("/api/v1/me/profile", new StringContent(body, Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Kestrel_sends_no_server_header_and_refuses_too_many_headers()
    {
        using var client = _api.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        using var normal = await client.GetAsync("/alive", ct);
        Assert.Equal(HttpStatusCode.OK, normal.StatusCode);
        Assert.False(normal.Headers.Contains("Server"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/alive");
        for (var i = 0; i < 120; i++)
            request.Headers.Add($"X-Filler-{i}", "x");
        using var tooMany = await client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, tooMany.StatusCode);
    }
}
