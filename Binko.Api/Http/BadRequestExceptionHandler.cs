using System.Text.Json;
using System.Text.RegularExpressions;
using Binko.Api.Models;
using Binko.ServiceDefaults.Http;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Binko.Api.Http;

/// <summary>
/// Turns the framework's <see cref="BadHttpRequestException"/> into a problem response. A JSON body that does not
/// parse, has an unknown member, a value of the wrong type or a string the database cannot store becomes a validation
/// problem keyed by the JSON path (<c>items[3].difficulty</c>); a query value that does not bind is keyed by the
/// parameter; other statuses (413, 408, ...) pass through with their own status. Handled here, these client errors are
/// not logged as server errors.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
            return false;

        context.Response.StatusCode = badRequest.StatusCode;
        var problem = badRequest.StatusCode == StatusCodes.Status400BadRequest
            ? ValidationProblem(badRequest)
            : new ProblemDetails { Status = badRequest.StatusCode };

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static HttpValidationProblemDetails ValidationProblem(BadHttpRequestException badRequest)
    {
        var (field, message) = badRequest.InnerException switch
        {
            JsonException json => Describe(json),
            _ when BindFailure().Match(badRequest.Message) is { Success: true } match =>
                (match.Groups["name"].Value, $"The value '{match.Groups["value"].Value}' is not valid."),
            _ => ("request", "The request could not be read."),
        };
        return ApiProblems.ValidationDetails(new Dictionary<string, string[]> { [field] = [message] });
    }

    /// <summary>The JSON path without its <c>$.</c> root, and a message that names no .NET type.</summary>
    private static (string Field, string Message) Describe(JsonException json)
    {
        var path = json.Path is { Length: > 1 } p ? p.TrimStart('$').TrimStart('.') : "";

        if (json is StorableTextException)
            return (path, json.Message);
        if (UnmappedMember().Match(json.Message) is { Success: true } unmapped)
        {
            // The path already ends at the unknown member ($.items[1].owner_id).
            var member = unmapped.Groups["member"].Value;
            return (path.Length == 0 ? member : path, "This member is not part of the request.");
        }
        if (json.LineNumber is { } line && json.BytePositionInLine is { } position && json.InnerException is not null)
            return (path.Length == 0 ? "body" : path, $"The JSON is malformed (line {line + 1}, position {position + 1}).");
        return (path.Length == 0 ? "body" : path, "The value has the wrong type or is not one of the allowed values.");
    }

    [GeneratedRegex("The JSON property '(?<member>[^']*)' could not be mapped")]
    private static partial Regex UnmappedMember();

    [GeneratedRegex("""Failed to bind parameter "\S+ (?<name>[^"\s]+)" from "(?<value>[^"]*)".""")]
    private static partial Regex BindFailure();
}
