using System.Text.Json;

namespace Binko.GenerationWorker.Generation;

/// <summary>The JSON schema of the answer, sent as <c>response_format</c> so the model produces it.</summary>
public static class IdeaSchema
{
    public const string Name = "binko_ideas";

    public static readonly JsonElement Element = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "ideas": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "title": { "type": "string" },
                  "summary": { "type": "string" },
                  "difficulty": { "type": "string", "enum": ["beginner", "intermediate", "advanced"] },
                  "tags": { "type": "array", "items": { "type": "string" } },
                  "skills": { "type": "array", "items": { "type": "string" } },
                  "estimated_hours": { "type": "integer" }
                },
                "required": ["title", "summary", "difficulty", "tags", "skills", "estimated_hours"],
                "additionalProperties": false
              }
            }
          },
          "required": ["ideas"],
          "additionalProperties": false
        }
        """).RootElement.Clone();
}
