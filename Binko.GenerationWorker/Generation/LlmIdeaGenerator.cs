using System.Diagnostics;
using Binko.Data.Generations;
using Binko.GenerationWorker.Llm;
using Binko.GenerationWorker.Options;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Binko.GenerationWorker.Generation;

/// <summary>
/// Generates with the configured LLM: one call asking for structured JSON, read leniently and checked against the
/// request; when the answer is unusable, exactly one repair call that says what was wrong. Every call first takes one
/// unit of the owner's daily LLM-call budget and asks for at most <see cref="GenerationOptions.MaxOutputTokens"/>.
/// Resilience (timeouts, retries, circuit breaker, shared rate limit) is in the HTTP pipeline underneath the chat client.
/// </summary>
public sealed partial class LlmIdeaGenerator(
    IChatClient chat,
    LlmConnection connection,
    LlmCallBudget budget,
    IOptions<GenerationOptions> options,
    ILogger<LlmIdeaGenerator> logger) : IIdeaGenerator
{
    public async Task<GenerationOutcome> GenerateAsync(GenerationContext context, CancellationToken cancellationToken)
    {
        var chatOptions = new ChatOptions
        {
            ResponseFormat = options.Value.LlmJsonSchema
                ? ChatResponseFormat.ForJsonSchema(IdeaSchema.Element, IdeaSchema.Name, "Project ideas for one person")
                : ChatResponseFormat.Json,
            MaxOutputTokens = options.Value.MaxOutputTokens,
        };
        List<ChatMessage> messages =
        [
            new(ChatRole.System, PromptBuilder.System),
            new(ChatRole.User, PromptBuilder.User(context)),
        ];

        var usage = new UsageDetails();
        var first = await CallAsync(context, messages, chatOptions, usage, cancellationToken);
        var (ideas, problems) = Read(context, first.Text);
        if (problems.Count > 0)
        {
            LogRepairing(logger, context.Job.Id, string.Join("; ", problems));
            // On the "generate ideas" span, between the two chat spans: why there is a second call.
            Activity.Current?.AddEvent(new ActivityEvent("binko.llm.repair",
                tags: new ActivityTagsCollection { ["binko.llm.problems"] = string.Join("; ", problems) }));
            messages.Add(new ChatMessage(ChatRole.Assistant, first.Text));
            messages.Add(new ChatMessage(ChatRole.User, PromptBuilder.Repair(context, problems)));
            var repaired = await CallAsync(context, messages, chatOptions, usage, cancellationToken);
            (ideas, problems) = Read(context, repaired.Text);
            if (problems.Count > 0)
                throw new InvalidLlmOutputException(problems);
        }
        return new GenerationOutcome(connection.Model, ideas, Degraded: false,
            PromptTokens: (int?)usage.InputTokenCount, CompletionTokens: (int?)usage.OutputTokenCount);
    }

    private static (IReadOnlyList<IdeaDraft> Ideas, IReadOnlyList<string> Problems) Read(GenerationContext context, string text)
    {
        var (raw, problem) = IdeaJson.Parse(text);
        return raw is null ? ([], [problem!]) : IdeaValidator.Validate(context, raw);
    }

    private async Task<ChatResponse> CallAsync(GenerationContext context, List<ChatMessage> messages, ChatOptions chatOptions,
        UsageDetails usage, CancellationToken cancellationToken)
    {
        await budget.SpendAsync(context.Job, cancellationToken);
        try
        {
            var response = await chat.GetResponseAsync(messages, chatOptions, cancellationToken);
            if (response.Usage is { } used)
                usage.Add(used);
            return response;
        }
        catch (Exception exception) when (LlmFailure.Classify(exception, cancellationToken) is { } failure)
        {
            throw new LlmUnavailableException(failure.Reason, failure.CircuitOpen, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation {JobId}: the LLM's answer is unusable ({Problems}); one repair call")]
    private static partial void LogRepairing(ILogger logger, Guid jobId, string problems);
}
