using Binko.Data.Generations;
using Microsoft.Extensions.Options;

namespace Binko.GenerationWorker.Options;

/// <summary>
/// Start-up check of the LLM connection: a malformed <c>ConnectionStrings:llm</c> is an error, and in Production a
/// missing one is too unless <c>Generation:AllowOffline=true</c> (Development runs offline by default).
/// </summary>
internal sealed class LlmConnectionValidation(IConfiguration configuration, IHostEnvironment environment)
    : IValidateOptions<GenerationOptions>
{
    public ValidateOptionsResult Validate(string? name, GenerationOptions options)
    {
        LlmConnection? connection;
        try
        {
            connection = LlmConnection.Parse(configuration.GetConnectionString(LlmConnection.ConnectionName));
        }
        catch (InvalidOperationException exception)
        {
            return ValidateOptionsResult.Fail(exception.Message);
        }

        if (connection is null && environment.IsProduction() && !options.AllowOffline)
            return ValidateOptionsResult.Fail(
                $"No LLM is configured: set ConnectionStrings:{LlmConnection.ConnectionName} (Endpoint=https://..;Key=..;Model=..) " +
                $"or Generation:AllowOffline=true to run the offline generator in Production.");
        return ValidateOptionsResult.Success;
    }
}
