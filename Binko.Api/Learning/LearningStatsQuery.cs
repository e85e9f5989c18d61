using Binko.Api.Models;
using Binko.Data;
using Binko.Data.Entities;
using Binko.Data.Generations;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Binko.Api.Learning;

/// <summary>
/// Learning statistics, computed in one SQL statement (GROUPING SETS: totals, per category, per difficulty, per day),
/// for one user or for all users. What is counted:
/// <list type="bullet">
/// <item><c>generations</c>: completed generations (with a category: those with at least one idea in it); in the
/// admin view <c>users</c>: their distinct owners. Guests' generations are never counted.</item>
/// <item><c>ideas_shown</c>: the ideas of those generations; <c>feedback</c>: the ideas their owner gave feedback on
/// (the <c>feedback</c> row of user = the owner's <c>sub</c>).</item>
/// <item><c>approval_rate</c>: approved / feedback rows whose <c>approved</c> is not null, rounded in SQL to 4
/// decimals; null when there are none.</item>
/// <item><c>mean_score</c>: the average <c>score</c> of the feedback rows that have one, rounded in SQL to 2
/// decimals; null when there are none.</item>
/// <item><c>trend</c>: the last <see cref="TrendDays"/> UTC days including today, oldest first, every day present,
/// by the day the idea was shown (<c>generated_ideas.created_at</c>).</item>
/// </list>
/// A category restricts every number to the ideas in that category.
/// </summary>
public static class LearningStatsQuery
{
    public const int TrendDays = 30;

    /// <param name="userId">One user's <c>sub</c>, or null for every user.</param>
    public static async Task<LearningStatsResponse> ComputeAsync(BinkoDbContext db, string? userId, string? category,
        DateOnly today, CancellationToken cancellationToken)
    {
        var from = today.AddDays(1 - TrendDays);
        var parameters = new List<NpgsqlParameter> { new("from", from), new("today", today) };
        var owners = $"g.owner_id LIKE '{Owners.UserPrefix}%'";
        var feedbackOfOwner = $"f.user_id = substr(g.owner_id, {Owners.UserPrefix.Length + 1})";
        if (userId is not null)
        {
            // The user's own id on both sides, so Postgres reads only that user's feedback.
            owners = "g.owner_id = @owner";
            feedbackOfOwner = "f.user_id = @user";
            parameters.Add(new("owner", Owners.UserPrefix + userId));
            parameters.Add(new("user", userId));
        }
        var (ideaInCategory, hasIdeaInCategory) = ("", "");
        if (category is not null)
        {
            ideaInCategory = "AND i.category = @category";
            hasIdeaInCategory = "AND EXISTS (SELECT FROM generated_ideas AS i WHERE i.generation_id = g.id AND i.category = @category)";
            parameters.Add(new("category", category));
        }

        var rows = await db.Database
            .SqlQueryRaw<StatsRow>(Sql(owners, feedbackOfOwner, ideaInCategory, hasIdeaInCategory), [.. parameters])
            .ToListAsync(cancellationToken);
        return Assemble(rows, userId is null, from);
    }

    /// <summary>
    /// The statement. The ideas are first counted per category, difficulty and day (a few hundred groups however many
    /// ideas there are), and the grouping sets add those counts up; generations and users are counted on their own
    /// table. The arguments are fixed SQL text whose values are parameters.
    /// </summary>
    private static string Sql(string owners, string feedbackOfOwner, string ideaInCategory, string hasIdeaInCategory) => $"""
        WITH shown AS (
            SELECT i.category, i.difficulty, (i.created_at AT TIME ZONE 'UTC')::date AS shown_on,
                   count(*) AS ideas_shown, count(f.generated_idea_id) AS feedback,
                   count(*) FILTER (WHERE f.approved) AS approved, count(f.approved) AS judged,
                   sum(f.score) AS score_sum, count(f.score) AS scored
            FROM generations AS g
            JOIN generated_ideas AS i ON i.generation_id = g.id
            LEFT JOIN feedback AS f ON f.generated_idea_id = i.id AND {feedbackOfOwner}
            WHERE g.status = 'completed' AND {owners} {ideaInCategory}
            GROUP BY 1, 2, 3
        ), owners AS (
            SELECT count(*) AS generations, count(DISTINCT g.owner_id) AS users
            FROM generations AS g
            WHERE g.status = 'completed' AND {owners} {hasIdeaInCategory}
        )
        SELECT CASE WHEN GROUPING(category) = 0 THEN '{Dimensions.Category}'
                    WHEN GROUPING(difficulty) = 0 THEN '{Dimensions.Difficulty}'
                    WHEN GROUPING(day) = 0 THEN '{Dimensions.Day}'
                    ELSE '{Dimensions.Total}' END AS dimension,
               category, difficulty, day,
               (SELECT users FROM owners) AS users,
               (SELECT generations FROM owners) AS generations,
               coalesce(sum(ideas_shown), 0)::bigint AS ideas_shown,
               coalesce(sum(feedback), 0)::bigint AS feedback,
               round(sum(approved) / nullif(sum(judged), 0), 4)::float8 AS approval_rate,
               round(sum(score_sum) / nullif(sum(scored), 0), 2)::float8 AS mean_score
        FROM (SELECT *, CASE WHEN shown_on BETWEEN @from AND @today THEN shown_on END AS day FROM shown) AS windowed
        GROUP BY GROUPING SETS ((), (category), (difficulty), (day))
        -- Ideas shown before the trend's window make a day-less group of their own: not a day of the trend.
        HAVING GROUPING(day) = 1 OR day IS NOT NULL
        """;

    private static LearningStatsResponse Assemble(List<StatsRow> rows, bool allUsers, DateOnly from)
    {
        var total = rows.SingleOrDefault(r => r.Dimension == Dimensions.Total);
        var days = rows.Where(r => r.Dimension == Dimensions.Day).ToDictionary(r => r.Day!.Value);
        return new LearningStatsResponse(
            allUsers ? total?.Users ?? 0 : null,
            total?.Generations ?? 0,
            total?.IdeasShown ?? 0,
            total?.Feedback ?? 0,
            total?.ApprovalRate,
            total?.MeanScore,
            [.. rows.Where(r => r.Dimension == Dimensions.Category).OrderBy(r => r.Category, StringComparer.Ordinal)
                .Select(r => new CategoryStats(r.Category!, r.IdeasShown, r.Feedback, r.ApprovalRate, r.MeanScore))],
            [.. rows.Where(r => r.Dimension == Dimensions.Difficulty)
                .Select(r => new DifficultyStats(Enum.Parse<SkillLevel>(r.Difficulty!, ignoreCase: true), r.IdeasShown, r.Feedback, r.ApprovalRate, r.MeanScore))
                .OrderBy(d => d.Difficulty)],
            [.. Enumerable.Range(0, TrendDays).Select(offset => from.AddDays(offset)).Select(day => days.TryGetValue(day, out var r)
                ? new DayStats(day, r.IdeasShown, r.Feedback, r.ApprovalRate, r.MeanScore)
                : new DayStats(day, 0, 0, null, null))]);
    }

    private static class Dimensions
    {
        public const string Total = "total";
        public const string Category = "category";
        public const string Difficulty = "difficulty";
        public const string Day = "day";
    }

    /// <summary>One row of the statement: a group of one grouping set.</summary>
    private sealed record StatsRow(string Dimension, string? Category, string? Difficulty, DateOnly? Day, long Users,
        long Generations, long IdeasShown, long Feedback, double? ApprovalRate, double? MeanScore);
}
