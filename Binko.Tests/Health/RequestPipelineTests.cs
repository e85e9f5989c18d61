using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Infrastructure;

namespace Binko.Tests.Health;

public sealed class RequestPipelineTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string RequestIdHeader = "X-Request-ID";

    [Fact]
    public async Task Well_formed_request_id_is_echoed()
    {
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/alive");
        request.Headers.Add(RequestIdHeader, "client-42.attempt:1");

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("client-42.attempt:1", Assert.Single(response.Headers.GetValues(RequestIdHeader)));
    }

    public static TheoryData<string?> UnacceptableRequestIds => new(
        null,
        "has spaces in it",
        "quote\"and<angle>",
        new string('x', 129));

    [Theory]
    [MemberData(nameof(UnacceptableRequestIds))]
    public async Task Malformed_or_missing_request_id_is_replaced_by_a_generated_one(string? incoming)
    {
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/alive");
        if (incoming is not null)
            request.Headers.TryAddWithoutValidation(RequestIdHeader, incoming);

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var echoed = Assert.Single(response.Headers.GetValues(RequestIdHeader));
        Assert.Matches("^[0-9a-f]{32}$", echoed);
    }

    [Fact]
    public async Task Unknown_route_answers_a_problem_with_error_code_and_trace_id()
    {
        using var client = api.CreateClient();

        var response = await client.GetAsync("/api/v1/does-not-exist", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal("not_found", problem.GetProperty("error_code").GetString());
        Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("trace_id").GetString());
        Assert.False(problem.TryGetProperty("traceId", out _));
        Assert.True(response.Headers.Contains(RequestIdHeader));
    }
}
