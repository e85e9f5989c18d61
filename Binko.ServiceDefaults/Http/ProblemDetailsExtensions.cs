using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Binko.ServiceDefaults.Http;

internal static class ProblemDetailsExtensions
{
    /// <summary>Every problem response gets an <c>error_code</c> (unless the endpoint chose one) and the
    /// <c>trace_id</c> that finds it in traces and logs. The framework's camelCase <c>traceId</c> goes.</summary>
    public static void AddBinkoProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Extensions.Remove("traceId");
            problem.Extensions.TryAdd("error_code", ErrorCodes.ForStatus(status));
            problem.Extensions["trace_id"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        });

    /// <summary>Unhandled exceptions become a 500 problem (or the status a <see cref="BadHttpRequestException"/>
    /// carries, such as 413), and empty 4xx/5xx responses get a problem body.</summary>
    public static void UseBinkoProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception is BadHttpRequestException badRequest
                ? badRequest.StatusCode
                : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
    }
}
