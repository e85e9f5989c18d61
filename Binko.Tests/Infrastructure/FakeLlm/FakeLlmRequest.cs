using System.Text.Json.Nodes;

namespace Binko.Tests.Infrastructure.FakeLlm;

/// <summary>One chat-completions request the fake received: its number (1-based), when, and what it asked.</summary>
public sealed record FakeLlmRequest(int Number, DateTimeOffset ReceivedAt, string Model, IReadOnlyList<FakeLlmMessage> Messages,
    string? ResponseFormat, string Body)
{
    public string Text(string role) => string.Join("\n", Messages.Where(m => m.Role == role).Select(m => m.Content));

    /// <summary>Every message's text, in order.</summary>
    public string AllText => string.Join("\n", Messages.Select(m => m.Content));

    internal static FakeLlmRequest Parse(int number, DateTimeOffset receivedAt, string body)
    {
        var json = JsonNode.Parse(body)!;
        var messages = json["messages"]?.AsArray().Select(message => new FakeLlmMessage(
            message?["role"]?.GetValue<string>() ?? "",
            message?["content"] switch
            {
                JsonValue value => value.GetValue<string>(),
                // Content parts: [{"type":"text","text":"..."}]
                JsonArray parts => string.Concat(parts.Select(part => part?["text"]?.GetValue<string>())),
                _ => "",
            })).ToList() ?? [];
        return new FakeLlmRequest(number, receivedAt, json["model"]?.GetValue<string>() ?? "", messages,
            json["response_format"]?["type"]?.GetValue<string>(), body);
    }
}

public sealed record FakeLlmMessage(string Role, string Content);
