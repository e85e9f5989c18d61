using Binko.Api.Extensions;
using Microsoft.Extensions.Options;

namespace Binko.Api.Generations;

/// <summary>
/// Start-up check: a long-poll (<c>?wait=</c>, <c>POST /generate</c>) runs under the generation request timeout, so its
/// longest wait must end before that timeout does; otherwise a full wait would answer 504 instead of the current state.
/// </summary>
internal sealed class WaitTimeoutValidation(IOptions<RequestTimeoutSettings> timeouts) : IValidateOptions<GenerationOptions>
{
    public ValidateOptionsResult Validate(string? name, GenerationOptions options)
    {
        var timeout = timeouts.Value.GenerationSeconds;
        var failures = new List<string>();
        if (options.MaxWaitSeconds >= timeout)
            failures.Add($"Generation:MaxWaitSeconds must be below RequestTimeouts:GenerationSeconds ({timeout}).");
        if (options.SyncWaitSeconds >= timeout)
            failures.Add($"Generation:SyncWaitSeconds must be below RequestTimeouts:GenerationSeconds ({timeout}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
