using System.Data.Common;
using Microsoft.Extensions.Configuration;

namespace Binko.AppHost;

/// <summary>The LLM the worker calls: its connection string (<c>Endpoint=..;Key=..;Model=..</c>, the worker's
/// <c>ConnectionStrings:llm</c>) and its model's name, which is all of it the api needs.</summary>
internal sealed record Llm(IResourceBuilder<IResourceWithConnectionString> Connection, IResourceBuilder<ParameterResource> Model);

internal static class LlmExtensions
{
    private const string Name = "llm";

    /// <summary>
    /// Publish mode (what azd deploys): parameters azd asks for, <c>llm-endpoint</c>, <c>llm-key</c> (secret) and
    /// <c>llm-model</c>, and the <c>llm</c> connection string made of them, so the model is given once and the api can
    /// have its name without the key. Run mode: <c>ConnectionStrings:llm</c> as configured, and <c>llm-model</c> holding
    /// its <c>Model=</c> part; null when it is not configured (the worker then generates offline). A connection string
    /// without a model stops the AppHost before anything starts, with a message that names the setting, not the value.
    /// </summary>
    public static Llm? AddLlm(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            var endpoint = builder.AddParameter("llm-endpoint");
            var key = builder.AddParameter("llm-key", secret: true);
            var model = builder.AddParameter("llm-model");
            return new Llm(builder.AddConnectionString(Name, ReferenceExpression.Create($"Endpoint={endpoint};Key={key};Model={model}")), model);
        }

        var configured = builder.Configuration.GetConnectionString(Name);
        if (string.IsNullOrWhiteSpace(configured))
            return null;
        return new Llm(builder.AddConnectionString(Name), builder.AddParameter("llm-model", ModelOf(configured)));
    }

    /// <summary>
    /// The api gets the model's name as <c>Generation__Model</c> and nothing else of the LLM. Locally the projects also
    /// inherit the AppHost's environment, which holds <c>ConnectionStrings__llm</c> when it was given that way: the api
    /// gets it blank, so the key is not in its environment.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLlmModel(this IResourceBuilder<ProjectResource> api, Llm llm)
    {
        api.WithEnvironment("Generation__Model", llm.Model);
        if (api.ApplicationBuilder.ExecutionContext.IsRunMode)
            api.WithEnvironment($"ConnectionStrings__{Name}", "");
        return api;
    }

    private static string ModelOf(string connectionString)
    {
        var parts = new DbConnectionStringBuilder();
        try
        {
            parts.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // Reported below: the exception's message would quote the value, and with it the key.
        }
        return parts.TryGetValue("Model", out var model) && model?.ToString() is { Length: > 0 } name
            ? name
            : throw new DistributedApplicationException(
                $"ConnectionStrings:{Name} is malformed or has no Model= part (expected Endpoint=https://..;Key=..;Model=..); its value is not shown because it holds a key.");
    }
}
