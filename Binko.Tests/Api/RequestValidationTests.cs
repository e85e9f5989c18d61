using System.Net;
using System.Net.Http.Json;
using System.Text;
using Binko.Tests.Infrastructure;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

public sealed class RequestValidationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, object?, string> InvalidIdeas => new()
    {
        { "title", "ab", "title" },
        { "title", new string('t', 121), "title" },
        { "title", null, "title" },
        { "summary", "too short", "summary" },
        { "summary", new string('s', 2001), "summary" },
        { "category", "Has Spaces", "category" },
        { "category", "x", "category" },
        { "tags", Enumerable.Range(0, 11).Select(i => $"t{i}").ToArray(), "tags" },
        { "tags", new[] { new string('t', 41) }, "tags" },
        { "skills", Enumerable.Range(0, 21).Select(i => $"s{i}").ToArray(), "skills" },
        { "estimated_hours", 0, "estimated_hours" },
        { "estimated_hours", 1001, "estimated_hours" },
        { "difficulty", "expert", "difficulty" },
        { "difficulty", 1, "difficulty" },
        { "estimated_hours", "five", "estimated_hours" },
    };

    [Theory]
    [MemberData(nameof(InvalidIdeas))]
    public async Task Invalid_idea_fields_are_400_naming_the_field(string member, object? value, string field)
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var body = Idea(Unique("Validated"));
        body[member] = value;

        var response = await admin.PostAsJsonAsync("/api/v1/ideas", body, Ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", field);
    }

    [Fact]
    public async Task Unknown_members_are_400_naming_the_member()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var body = Idea(Unique("Mass assignment"));
        body["version"] = 1;

        var response = await admin.PostAsJsonAsync("/api/v1/ideas", body, Ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", "version");
    }

    [Fact]
    public async Task Unknown_members_inside_bulk_items_name_the_item()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var second = Idea(Unique("Nested"));
        second["owner_id"] = "me";

        var response = await admin.PostAsJsonAsync("/api/v1/ideas/bulk", new { items = new[] { Idea(Unique("Fine")), second } }, Ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", "items[1].owner_id");
    }

    [Fact]
    public async Task Malformed_json_is_a_400_validation_problem()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());

        var response = await admin.PostAsync("/api/v1/ideas",
            new StringContent("""{"title": "Broken", "summary": """, Encoding.UTF8, "application/json"), Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotEmpty(problem.GetProperty("errors").EnumerateObject());
        Assert.DoesNotContain("Binko.", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_wrong_type_deep_in_a_bulk_body_names_its_json_path()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var second = Idea(Unique("Typed"));
        second["estimated_hours"] = "lots";

        var response = await admin.PostAsJsonAsync("/api/v1/ideas/bulk", new { items = new[] { Idea(Unique("Ok")), second } }, Ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", "items[1].estimated_hours");
    }

    [Fact]
    public async Task Errors_name_every_invalid_field_in_snake_case()
    {
        using var admin = api.CreateClient().WithToken(TestTokens.Admin());
        var body = Idea("x");
        body["estimated_hours"] = 0;
        body["summary"] = "short";

        var response = await admin.PostAsJsonAsync("/api/v1/ideas", body, Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed", "title", "summary", "estimated_hours");
        Assert.Equal(3, problem.GetProperty("errors").EnumerateObject().Count());
    }
}
