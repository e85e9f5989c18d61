using System.Text.Json;
using System.Text.Json.Serialization;

namespace Binko.Data.Generations;

/// <summary>
/// The response cache shared by the API (reads) and the worker (writes): a completed, non-degraded result stored
/// in Redis under its content hash. Degraded or invalid output is never cached.
/// </summary>
public static class GenerationCache
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The entry of <paramref name="contentHash"/> under the <see cref="RedisKeys.Prefix"/>.</summary>
    public static string Key(string keyPrefix, string contentHash) => $"{keyPrefix}generation:{contentHash}";

    public static string Serialize(CachedGeneration result) => JsonSerializer.Serialize(result, Json);

    public static CachedGeneration? Deserialize(string json) => JsonSerializer.Deserialize<CachedGeneration>(json, Json);
}

public sealed record CachedGeneration(string Model, IReadOnlyList<IdeaDraft> Ideas);
