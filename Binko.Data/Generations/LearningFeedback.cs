using System.Linq.Expressions;
using Binko.Data.Entities;

namespace Binko.Data.Generations;

/// <summary>
/// The feedback the worker learns from: a rejection (<c>approved: false</c> or a score of 3 or less) or a like (a score
/// of 7 or more, or an approval without a score). Anything else (a middling score, <c>saved</c>, <c>started</c>, a
/// comment) changes nothing in a prompt. A result made while a person had such feedback is shaped by it, so it is theirs
/// alone: never cached, and their requests are never answered from the cache (README, "Response cache").
/// </summary>
public static class LearningFeedback
{
    public static readonly Expression<Func<IdeaFeedback, bool>> Teaches = feedback =>
        feedback.Approved == false || feedback.Score <= 3 || feedback.Score >= 7 || (feedback.Approved == true && feedback.Score == null);
}
