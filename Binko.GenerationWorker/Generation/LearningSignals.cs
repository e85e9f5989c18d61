using Binko.Data;
using Binko.Data.Generations;
using Microsoft.EntityFrameworkCore;

namespace Binko.GenerationWorker.Generation;

/// <summary>
/// What a person's feedback teaches the next generation (<see cref="LearningFeedback.Teaches"/>): the ideas they liked
/// best (examples to follow) and the ones they rejected (themes to steer away from). An explicit rejection
/// (<c>approved: false</c>) or a score of 3 or less is a rejection; otherwise a score of 7 or more, or an approval
/// without a score, is a like. A result made with any of them is shaped by them (<see cref="ShapesResults"/>).
/// </summary>
public sealed record LearningSignals(IReadOnlyList<RatedIdea> Liked, IReadOnlyList<RatedIdea> Rejected)
{
    public static readonly LearningSignals None = new([], []);

    /// <summary>True when the prompt and the catalog ranking use some of them: the result is then this person's own.</summary>
    public bool ShapesResults => Liked.Count > 0 || Rejected.Count > 0;

    /// <summary>How many liked examples the prompt shows, and how many rejected ideas it steers away from.</summary>
    private const int MaxLiked = 5;
    private const int MaxRejected = 10;

    /// <summary>How many of the latest teaching feedback rows are considered.</summary>
    private const int Window = 200;

    public static async Task<LearningSignals> LoadAsync(BinkoDbContext db, string ownerId, CancellationToken cancellationToken)
    {
        if (Owners.UserIdOf(ownerId) is not { } userId)
            return None;

        var rated = await (
                from feedback in db.Feedback.Where(f => f.UserId == userId).Where(LearningFeedback.Teaches)
                join idea in db.GeneratedIdeas on feedback.GeneratedIdeaId equals idea.Id
                orderby feedback.UpdatedAt descending
                select new RatedIdea(idea.Title, idea.Category, idea.Tags, feedback.Approved, feedback.Score, idea.SourceIdeaId))
            .Take(Window)
            .ToListAsync(cancellationToken);

        return new LearningSignals(
            [.. rated.Where(idea => idea.IsLiked).OrderByDescending(idea => idea.Score ?? 0).Take(MaxLiked)],
            [.. rated.Where(idea => idea.IsRejected).Take(MaxRejected)]);
    }
}

/// <summary>One generated idea the person rated; <see cref="LearningFeedback.Teaches"/> holds exactly when it is
/// rejected or liked.</summary>
public sealed record RatedIdea(string Title, string Category, IReadOnlyList<string> Tags, bool? Approved, int? Score, Guid? SourceIdeaId)
{
    public bool IsRejected => Approved == false || Score <= 3;

    public bool IsLiked => !IsRejected && (Score >= 7 || (Score is null && Approved == true));
}
