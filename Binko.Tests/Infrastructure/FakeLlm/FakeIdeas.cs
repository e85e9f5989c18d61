using System.Text.Json;
using System.Text.RegularExpressions;

namespace Binko.Tests.Infrastructure.FakeLlm;

/// <summary>
/// Valid ideas built from what the prompt asked: "exactly N" ideas, the person's first skill and level from the
/// profile JSON, within "at most N hours". Titles carry the call number, so every call's titles are new.
/// </summary>
public static partial class FakeIdeas
{
    public static string Json(FakeLlmRequest request) => JsonSerializer.Serialize(new { ideas = For(request) });

    /// <summary>Explicit ideas: <paramref name="count"/> of them, titled "{title} 1".."{title} N".</summary>
    public static string Json(int count, string skill, string difficulty = "beginner", int hours = 10, string title = "Fixed idea") =>
        JsonSerializer.Serialize(new
        {
            ideas = Enumerable.Range(1, count).Select(i => new
            {
                title = $"{title} {i}",
                summary = $"A fixed idea number {i}.",
                difficulty,
                tags = new[] { "fake" },
                skills = new[] { skill },
                estimated_hours = hours,
            }),
        });

    public static IReadOnlyList<object> For(FakeLlmRequest request)
    {
        var text = request.AllText;
        var count = Count().Match(text) is { Success: true } c ? int.Parse(c.Groups[1].Value) : 3;
        var level = Level().Match(text) is { Success: true } l ? l.Groups[1].Value : "beginner";
        var skills = Skills().Match(text) is { Success: true } s
            ? JsonSerializer.Deserialize<string[]>($"[{s.Groups[1].Value}]") ?? []
            : [];
        var hours = MaxHours().Match(text) is { Success: true } h ? Math.Min(10, int.Parse(h.Groups[1].Value)) : 10;
        return [.. Enumerable.Range(1, count).Select(i => new
        {
            title = $"Fake idea {request.Number}.{i}",
            summary = $"A project the fake LLM made up (call {request.Number}, idea {i}).",
            difficulty = level,
            tags = new[] { "fake" },
            skills = skills.Length > 0 ? new[] { skills[0] } : ["python"],
            estimated_hours = hours,
        })];
    }

    [GeneratedRegex(@"exactly (\d+)")]
    private static partial Regex Count();

    [GeneratedRegex("\"experience_level\":\"(\\w+)\"")]
    private static partial Regex Level();

    [GeneratedRegex("\"skills\":\\[(.*?)\\]")]
    private static partial Regex Skills();

    [GeneratedRegex(@"at most (\d+) hours")]
    private static partial Regex MaxHours();
}
