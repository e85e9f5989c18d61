using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Binko.ServiceDefaults.Database;

/// <summary>
/// A request that failed because the database is unreachable (the circuit turned it away, or Npgsql reported a
/// transient failure, however EF Core wrapped it) answers 503 <c>database_unavailable</c> with <c>Retry-After</c>, not
/// 500: the request was fine, the client may repeat it, and nothing it asked for was done.
/// </summary>
internal sealed class DatabaseUnavailableExceptionHandler(DatabaseCircuit circuit) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is DatabaseUnavailableException unavailable)
                return await DatabaseUnavailableProblem.WriteAsync(context, unavailable.RetryAfter, exception);
            if (cause is NpgsqlException { IsTransient: true })
                return await DatabaseUnavailableProblem.WriteAsync(context, circuit.RetryAfter, exception);
        }
        return false;
    }
}
