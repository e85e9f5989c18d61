using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Binko.Tests.Api;

/// <summary>Request bodies and calls the API tests share. Every test makes its own ideas with unique names.</summary>
internal static class CatalogTestData
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>A valid idea body (snake_case, as clients send it).</summary>
    public static Dictionary<string, object?> Idea(string title, string? summary = null, string category = "testing",
        string difficulty = "beginner", string[]? tags = null) => new()
    {
        ["title"] = title,
        ["summary"] = summary ?? $"A test idea named {title}, described at enough length.",
        ["difficulty"] = difficulty,
        ["category"] = category,
        ["tags"] = tags ?? ["test"],
        ["skills"] = new[] { "csharp" },
        ["estimated_hours"] = 5,
    };

    public static async Task<JsonElement> CreateIdeaAsync(HttpClient admin, object body)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/ideas", body, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>Asserts a problem response: status, <c>error_code</c>, and (for validation) the fields named.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode,
        params string[] fields)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(errorCode, problem.GetProperty("error_code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("trace_id").GetString()));
        if (fields.Length > 0)
        {
            var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
            Assert.All(fields, field => Assert.True(errors.Contains(field), $"'{field}' not among the errors: {text}"));
        }
        return problem;
    }

    public static IEnumerable<string> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!);

    public static string? NextCursor(JsonElement page) =>
        page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
}
