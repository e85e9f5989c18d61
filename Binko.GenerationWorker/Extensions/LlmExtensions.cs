using System.ClientModel;
using System.ClientModel.Primitives;
using Binko.Data.Generations;
using Binko.GenerationWorker.Generation;
using Binko.GenerationWorker.Llm;
using Binko.GenerationWorker.Options;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace Binko.GenerationWorker.Extensions;

public static class LlmExtensions
{
    private const string HttpClientName = "llm";

    /// <summary>Telemetry source of the chat client: GenAI spans and gen_ai.* metrics, collected as "Binko.*".</summary>
    public const string TelemetrySourceName = "Binko.Llm";

    /// <summary>
    /// The idea generator: with <c>ConnectionStrings:llm</c>, an <see cref="IChatClient"/> over the OpenAI client on a
    /// resilient HttpClient, spending the owners' daily LLM-call budgets; without it, the offline generator. Also the
    /// "llm-circuit" health check.
    /// </summary>
    public static void AddIdeaGenerator(this IHostApplicationBuilder builder)
    {
        // A malformed connection string is reported by the options validation at start-up, with the setting's name.
        var connection = TryParse(builder.Configuration.GetConnectionString(LlmConnection.ConnectionName));
        builder.Services.AddSingleton(new LlmCircuit { Enabled = connection is not null });
        builder.Services.AddHealthChecks().AddCheck<LlmCircuitHealthCheck>(LlmCircuitHealthCheck.Name);
        if (connection is null)
        {
            builder.Services.AddSingleton<IIdeaGenerator, OfflineIdeaGenerator>();
            return;
        }

        builder.Services.AddSingleton(connection);
        builder.Services.AddSingleton<LlmCallBudget>();
        builder.Services.AddSingleton<OutboundRateLimiter>();
        var http = builder.Services.AddHttpClient(HttpClientName)
            // The pipeline's total timeout bounds each call; HttpClient's own 100 s default must not cut it first.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        // ServiceDefaults gives every HttpClient the standard handler; the LLM gets its own pipeline instead.
        // RemoveAllResilienceHandlers is marked experimental (EXTEXP0001) but is the documented way to do this.
#pragma warning disable EXTEXP0001
        http.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        http.AddResilienceHandler(LlmResilience.PipelineName, (pipeline, context) =>
        {
            var services = context.ServiceProvider;
            LlmResilience.Configure(pipeline, services.GetRequiredService<IOptions<GenerationOptions>>().Value,
                services.GetRequiredService<LlmCircuit>(), services.GetRequiredService<OutboundRateLimiter>(), services.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddSingleton(services => CreateChatClient(services, connection));
        builder.Services.AddSingleton<IIdeaGenerator, LlmIdeaGenerator>();
    }

    private static IChatClient CreateChatClient(IServiceProvider services, LlmConnection connection)
    {
        var options = services.GetRequiredService<IOptions<GenerationOptions>>().Value;
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
        var client = new OpenAIClient(
            // Local servers (Ollama, vLLM) take no key, but the SDK wants a non-empty one.
            new ApiKeyCredential(connection.Key is { Length: > 0 } key ? key : "unused"),
            new OpenAIClientOptions
            {
                Endpoint = connection.Endpoint,
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                Transport = new HttpClientPipelineTransport(http),
                NetworkTimeout = options.LlmTotalTimeout + TimeSpan.FromSeconds(5),
            });
        return client.GetChatClient(connection.Model).AsIChatClient()
            .AsBuilder()
            .UseOpenTelemetry(services.GetService<ILoggerFactory>(), TelemetrySourceName)
            .Build(services);
    }

    private static LlmConnection? TryParse(string? connectionString)
    {
        try
        {
            return LlmConnection.Parse(connectionString);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
