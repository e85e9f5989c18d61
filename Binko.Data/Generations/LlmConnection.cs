using System.Data.Common;

namespace Binko.Data.Generations;

/// <summary>
/// <c>ConnectionStrings:llm</c> = <c>Endpoint=https://..;Key=..;Model=..</c>: any OpenAI-compatible endpoint
/// (OpenAI, Azure OpenAI's v1 endpoint, Ollama, vLLM, Groq). Without it Binko uses the offline generator.
/// </summary>
public sealed record LlmConnection(Uri Endpoint, string Key, string Model)
{
    public const string ConnectionName = "llm";

    /// <summary>The model name the offline generator's results carry.</summary>
    public const string OfflineModel = "binko-offline";

    /// <summary>Null when no connection string is configured; a malformed one is an error naming the setting.</summary>
    public static LlmConnection? Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            return null;
        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string Part(string name) => parts.TryGetValue(name, out var value) && value?.ToString() is { Length: > 0 } text
            ? text
            : throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} has no {name}= part (expected Endpoint=https://..;Key=..;Model=..).");
        if (!Uri.TryCreate(Part("Endpoint"), UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} has an Endpoint that is not an http(s) URL.");
        return new LlmConnection(endpoint, parts.TryGetValue("Key", out var key) ? key?.ToString() ?? "" : "", Part("Model"));
    }

    /// <summary>The model that will answer: the configured one, or the offline generator.</summary>
    public static string ModelName(string? connectionString) => Parse(connectionString)?.Model ?? OfflineModel;
}
