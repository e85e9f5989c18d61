using Binko.Data.Entities;

namespace Binko.Api.Generations;

/// <summary>What became of a request to generate.</summary>
public abstract record IntakeResult
{
    /// <summary>A result that names a generation.</summary>
    public abstract record WithGeneration(Generation Generation) : IntakeResult;

    /// <summary>Queued for the worker: 202. <paramref name="QuotaUsed"/> counts this one.</summary>
    public sealed record Queued(Generation Generation, int QuotaUsed) : WithGeneration(Generation);

    /// <summary>Served from the response cache: 200, no quota spent.</summary>
    public sealed record FromCache(Generation Generation) : WithGeneration(Generation);

    /// <summary>The same Idempotency-Key and body as before: the generation that request made.</summary>
    public sealed record Replayed(Generation Generation) : WithGeneration(Generation);

    /// <summary>The Idempotency-Key was used with another body: 422.</summary>
    public sealed record KeyReused : IntakeResult;

    /// <summary>Today's allowance is spent: 429 until UTC midnight.</summary>
    public sealed record QuotaExceeded(int Limit) : IntakeResult;

    /// <summary>The request contradicts itself (<see cref="GenerationRequests.Contradictions"/>): 400 naming the fields.</summary>
    public sealed record Contradictory(IDictionary<string, string[]> Errors) : IntakeResult;

    /// <summary>The caller already has <paramref name="Limit"/> generations queued or running: 429, try again when one
    /// has finished.</summary>
    public sealed record TooManyInFlight(int Limit) : IntakeResult;

    /// <summary>Too many generations in flight: 503, try again shortly.</summary>
    public sealed record Overloaded : IntakeResult;
}
