using Binko.GenerationWorker.Options;
using Microsoft.Extensions.Options;

namespace Binko.GenerationWorker.Jobs;

/// <summary>At most <see cref="GenerationOptions.Concurrency"/> generations (LLM calls, with their repair call) run at
/// once in this replica; a claimed job waits here for a slot.</summary>
public sealed class GenerationSlots(IOptions<GenerationOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.Concurrency, options.Value.Concurrency);

    /// <summary>Runs <paramref name="generate"/> in a slot.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> generate, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await generate();
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
