namespace Binko.Api.Models;

/// <summary>Example bodies shown in the OpenAPI document.</summary>
public static class ApiExamples
{
    public static string? For(Type type) => type == typeof(IdeaRequest) ? Idea
        : type == typeof(BulkIdeasRequest) ? $$"""{"items": [{{Idea}}]}"""
        : type == typeof(ProfileRequest) ? Profile
        : type == typeof(FeedbackRequest) ? Feedback
        : type == typeof(RefineRequest) ? """{"instruction": "Make it smaller: one weekend, no backend."}"""
        : type == typeof(EventBatchRequest) ? Events
        : null;

    private const string Idea = """
        {"title": "Habit tracker with streaks", "summary": "A small web app that records daily habits and shows streaks and a weekly chart.",
         "difficulty": "beginner", "category": "web", "tags": ["charts", "local-storage"], "skills": ["javascript", "html"],
         "estimated_hours": 12}
        """;

    private const string Feedback = """
        {"idea_id": "0193a4c2-7b1e-7c3d-9f10-2a4b6c8d0e12", "approved": true, "score": 8, "comment": "Fun, and it fits my week."}
        """;

    private const string Events = """
        {"events": [{"name": "idea_viewed", "timestamp": "2026-11-24T09:30:00Z", "session_id": "s-5f2a9c",
         "properties": {"idea_slug": "habit-tracker-with-streaks", "source": "search"}},
         {"name": "generation.requested", "timestamp": "2026-11-24T09:31:12.250+01:00", "session_id": "s-5f2a9c"}]}
        """;

    private const string Profile = """
        {"experience_level": "intermediate", "skills": ["csharp", "sql"], "interests": ["games", "data"],
         "weekly_hours": 6, "goals": "Ship a small portfolio project in a month."}
        """;
}
