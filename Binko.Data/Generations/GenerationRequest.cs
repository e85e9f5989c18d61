using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Binko.Data.Entities;

namespace Binko.Data.Generations;

/// <summary>
/// Everything that determines a generation's output, normalised (trimmed, lowercase, sorted, de-duplicated) by
/// the API and stored with the job as JSON. The worker reads it back; the content hash is computed from it.
/// </summary>
public sealed record GenerationRequest(
    ProfileSnapshot Profile,
    int NumIdeas,
    GenerationConstraints Constraints,
    RefinementRequest? Refinement = null)
{
    /// <summary>Bumped whenever the prompt changes, so cached results of the old prompt are not served.</summary>
    public const string PromptVersion = "p2";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static GenerationRequest FromJson(string json) =>
        JsonSerializer.Deserialize<GenerationRequest>(json, Json)
        ?? throw new JsonException("A generation request cannot be null.");

    /// <summary>SHA-256 (hex) of the request, the model and the prompt version: the response cache key. It holds
    /// nothing personal: a result that a person's feedback shaped is never cached (<see cref="LearningFeedback"/>).</summary>
    public string ContentHash(string model) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{PromptVersion}\n{model}\n{ToJson()}")));
}

public sealed record ProfileSnapshot(
    SkillLevel ExperienceLevel,
    IReadOnlyList<string> Skills,
    IReadOnlyList<string> Interests,
    int WeeklyHours,
    string? Goals);

public sealed record GenerationConstraints(
    string? Category,
    int? MaxHours,
    IReadOnlyList<string> UseTechnologies,
    IReadOnlyList<string> AvoidTechnologies)
{
    public static readonly GenerationConstraints None = new(null, null, [], []);
}

/// <summary>A new version of one generated idea, following an instruction ("make it smaller").</summary>
public sealed record RefinementRequest(Guid IdeaId, string Instruction);
