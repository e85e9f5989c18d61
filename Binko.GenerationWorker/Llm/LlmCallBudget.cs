using Binko.Data;
using Binko.Data.Quotas;
using Binko.GenerationWorker.Generation;
using Binko.GenerationWorker.Options;
using Microsoft.Extensions.Options;

namespace Binko.GenerationWorker.Llm;

/// <summary>
/// Each owner's daily budget of LLM calls (<see cref="LlmCallQuotaOptions"/>, by the plan stored with the job): one
/// unit is taken, atomically in Postgres, before every call, and never given back. So whatever a job's request makes the
/// LLM do (repair calls, retried attempts), and however often its quota unit is refunded, one owner costs at most their
/// budget a day. One statement per call: small beside the call itself.
/// </summary>
public sealed class LlmCallBudget(IServiceScopeFactory scopes, IOptions<LlmCallQuotaOptions> options, TimeProvider time)
{
    /// <summary>Takes one call from the budget of <paramref name="job"/>'s owner; throws
    /// <see cref="LlmBudgetExhaustedException"/> when it is spent for today.</summary>
    public async Task SpendAsync(Binko.Data.Entities.Generation job, CancellationToken cancellationToken)
    {
        var limit = options.Value.For(Plans.Of(job));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BinkoDbContext>();
        if (await QuotaLedger.TryReserveAsync(db, QuotaLedger.LlmCallsSubject(job.OwnerId), QuotaLedger.Today(time), limit, cancellationToken) is null)
            throw new LlmBudgetExhaustedException(limit);
    }
}
