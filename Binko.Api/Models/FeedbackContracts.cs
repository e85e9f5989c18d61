using System.ComponentModel.DataAnnotations;
using Binko.Data.Entities;

namespace Binko.Api.Models;

/// <summary>
/// A verdict on one idea of a generation. Every signal is optional, but at least one is given; a signal left out
/// keeps its earlier value, so a client can send <c>saved</c> or <c>started</c> later on its own. An empty
/// <c>comment</c> removes the comment.
/// </summary>
public sealed record FeedbackRequest
{
    [Required]
    public Guid? IdeaId { get; init; }

    public bool? Approved { get; init; }

    [Range(0, 10)]
    public int? Score { get; init; }

    [StringLength(2000)]
    public string? Comment { get; init; }

    public bool? Saved { get; init; }

    public bool? Started { get; init; }

    public bool HasSignal => Approved is not null || Score is not null || Comment is not null || Saved is not null || Started is not null;
}

/// <summary>The caller's feedback on one idea, after the write.</summary>
public sealed record FeedbackResponse(
    Guid IdeaId,
    bool? Approved,
    int? Score,
    string? Comment,
    bool Saved,
    bool Started,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static FeedbackResponse From(IdeaFeedback feedback) => new(feedback.GeneratedIdeaId, feedback.Approved, feedback.Score,
        feedback.Comment, feedback.Saved, feedback.Started, feedback.CreatedAt, feedback.UpdatedAt);
}

/// <summary>How to change one idea: "make it smaller", "use Rust", "add a mobile client".</summary>
public sealed record RefineRequest
{
    [Required, StringLength(500, MinimumLength = 3)]
    public string? Instruction { get; init; }
}
