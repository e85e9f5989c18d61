using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Binko.ServiceDefaults.Database;

/// <summary>
/// EF Core's execution strategy (Npgsql's retrying one, as Aspire configures it) with every attempt run through the
/// <see cref="DatabaseCircuit"/>: while the circuit is open an attempt fails at once, and since that failure is not one
/// the retrying strategy retries, so does the whole operation.
/// </summary>
internal sealed class CircuitBreakingExecutionStrategy(IExecutionStrategy inner, DatabaseCircuit circuit) : IExecutionStrategy
{
    public bool RetriesOnFailure => inner.RetriesOnFailure;

    public TResult Execute<TState, TResult>(TState state, Func<DbContext, TState, TResult> operation,
        Func<DbContext, TState, ExecutionResult<TResult>>? verifySucceeded) =>
        inner.Execute(state,
            (context, s) => circuit.Execute(() => operation(context, s)),
            verifySucceeded);

    public Task<TResult> ExecuteAsync<TState, TResult>(TState state,
        Func<DbContext, TState, CancellationToken, Task<TResult>> operation,
        Func<DbContext, TState, CancellationToken, Task<ExecutionResult<TResult>>>? verifySucceeded,
        CancellationToken cancellationToken = default) =>
        inner.ExecuteAsync(state,
            (context, s, token) => circuit.ExecuteAsync(attemptToken => operation(context, s, attemptToken), token),
            verifySucceeded, cancellationToken);
}
