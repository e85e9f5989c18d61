using System.Globalization;
using Binko.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Binko.ServiceDefaults.Database;

/// <summary>The answer to a request that needs a database that is not there: 503 <c>database_unavailable</c> with a
/// <c>Retry-After</c> of the circuit's break (at least 1 s).</summary>
public static class DatabaseUnavailableProblem
{
    public static async Task<bool> WriteAsync(HttpContext context, TimeSpan retryAfter, Exception? exception = null)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is unavailable.",
                Detail = "Try again after the time in Retry-After.",
                Extensions = { ["error_code"] = ErrorCodes.DatabaseUnavailable },
            },
        });
    }
}
