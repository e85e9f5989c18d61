using System.Text.Json;
using Binko.Data.Entities;
using Binko.Tests.Infrastructure;
using static Binko.Tests.Api.CatalogTestData;

namespace Binko.Tests.Api;

/// <summary>An idea shown <see cref="DaysAgo"/> UTC days ago, and the owner's verdict on it (null: no feedback row).</summary>
internal sealed record Shown(string Category, SkillLevel Difficulty, int DaysAgo, Verdict? Feedback = null);

internal sealed record Verdict(bool? Approved, int? Score);

/// <summary>Generations, ideas and feedback written straight into a test database, as the worker and the feedback
/// endpoint would leave them.</summary>
internal static class LearningTestData
{
    /// <summary>A generation of <paramref name="ownerId"/> with these ideas; a verdict becomes a feedback row of the
    /// owner's <c>sub</c>. Returns the ideas' ids in order.</summary>
    public static async Task<List<Guid>> AddGenerationAsync(TestInfrastructure infrastructure, string database, string ownerId,
        GenerationStatus status, params Shown[] ideas)
    {
        await using var db = infrastructure.CreateDbContext(database);
        var generation = new Binko.Data.Entities.Generation
        {
            OwnerId = ownerId, Status = status, NumIdeas = ideas.Length, Request = "{}", ContentHash = Unique("hash"),
        };
        foreach (var (shown, position) in ideas.Select((shown, position) => (shown, position)))
        {
            var idea = new GeneratedIdea
            {
                Position = position, Title = Unique("Idea"), Summary = "A generated idea for the statistics tests.",
                Category = shown.Category, Difficulty = shown.Difficulty, EstimatedHours = 5,
                CreatedAt = DateTimeOffset.UtcNow.AddDays(-shown.DaysAgo),
            };
            generation.Ideas.Add(idea);
            if (shown.Feedback is { } verdict)
                db.Feedback.Add(Feedback(ownerId.Split(':', 2)[1], idea.Id, verdict));
        }
        db.Generations.Add(generation);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return [.. generation.Ideas.Select(i => i.Id)];
    }

    public static async Task AddFeedbackAsync(TestInfrastructure infrastructure, string database, string userId, Guid ideaId,
        Verdict verdict)
    {
        await using var db = infrastructure.CreateDbContext(database);
        db.Feedback.Add(Feedback(userId, ideaId, verdict));
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Asserts one set of figures (the totals, or an entry of by_category, by_difficulty or trend).</summary>
    public static void AssertFigures(JsonElement figures, long ideasShown, long feedback, double? approvalRate, double? meanScore)
    {
        Assert.Equal(ideasShown, figures.GetProperty("ideas_shown").GetInt64());
        Assert.Equal(feedback, figures.GetProperty("feedback").GetInt64());
        Assert.Equal(approvalRate, Nullable(figures.GetProperty("approval_rate")));
        Assert.Equal(meanScore, Nullable(figures.GetProperty("mean_score")));
    }

    /// <summary>The entry of <paramref name="list"/> (by_category, by_difficulty, trend) whose <paramref name="key"/> is
    /// <paramref name="value"/>.</summary>
    public static JsonElement Entry(JsonElement stats, string list, string key, string value) =>
        stats.GetProperty(list).EnumerateArray().Single(e => e.GetProperty(key).GetString() == value);

    public static string DaysAgo(int days) => DateTime.UtcNow.AddDays(-days).ToString("yyyy-MM-dd");

    private static IdeaFeedback Feedback(string userId, Guid ideaId, Verdict verdict) =>
        new() { UserId = userId, GeneratedIdeaId = ideaId, Approved = verdict.Approved, Score = verdict.Score };

    private static double? Nullable(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDouble();
}
