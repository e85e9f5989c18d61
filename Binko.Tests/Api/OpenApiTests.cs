using System.Net;
using System.Text.Json;
using Binko.Tests.Infrastructure;

namespace Binko.Tests.Api;

public sealed class OpenApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Document_describes_v1_with_bearer_scheme_summaries_and_examples()
    {
        using var client = api.CreateClient();

        var text = await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        var document = JsonDocument.Parse(text).RootElement;
        Assert.Equal("Binko API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("v1", document.GetProperty("info").GetProperty("version").GetString());
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/ideas", "/api/v1/ideas/{id}", "/api/v1/ideas/bulk", "/api/v1/me/profile", "/api/v1/events" })
            Assert.True(paths.TryGetProperty(path, out _), $"missing {path}");
        var create = paths.GetProperty("/api/v1/ideas").GetProperty("post");
        Assert.Equal("Create an idea (admin)", create.GetProperty("summary").GetString());
        Assert.True(create.TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/api/v1/ideas").GetProperty("get").TryGetProperty("security", out _));
        Assert.Contains("\"estimated_hours\"", text);
        Assert.Contains("Habit tracker with streaks", text);
        Assert.Contains("idea_viewed", text);
    }

    [Fact]
    public async Task Scalar_ui_is_served_in_development_only()
    {
        await using var production = new ApiFactory(new Dictionary<string, string?>(
            ServiceSettings.For(api.Infrastructure, api.DatabaseConnectionString)) { ["environment"] = "Production" });
        using var development = api.CreateClient();
        using var productionClient = production.CreateClient();

        var inDevelopment = await development.GetAsync("/scalar", TestContext.Current.CancellationToken);
        var inProduction = await productionClient.GetAsync("/scalar", TestContext.Current.CancellationToken);
        var documentInProduction = await productionClient.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, inDevelopment.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, inProduction.StatusCode);
        Assert.Equal(HttpStatusCode.OK, documentInProduction.StatusCode);
    }
}
