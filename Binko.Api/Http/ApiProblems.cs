using Binko.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Binko.Api.Http;

/// <summary>The problem responses handlers return, each with its stable <c>error_code</c>.</summary>
public static class ApiProblems
{
    public const string ValidationTitle = "One or more validation errors occurred.";

    public static HttpValidationProblemDetails ValidationDetails(IDictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = ValidationTitle,
        Extensions = { ["error_code"] = ErrorCodes.ValidationFailed },
    };

    public static ValidationProblem Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: ValidationTitle,
            extensions: new Dictionary<string, object?> { ["error_code"] = ErrorCodes.ValidationFailed });

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: ValidationTitle,
            extensions: new Dictionary<string, object?> { ["error_code"] = ErrorCodes.ValidationFailed });

    public static ProblemHttpResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "Not found", detail, ErrorCodes.NotFound);

    public static ProblemHttpResult Conflict(string detail) =>
        Problem(StatusCodes.Status409Conflict, "Conflict", detail, ErrorCodes.Conflict);

    public static ProblemHttpResult PreconditionFailed(string detail) =>
        Problem(StatusCodes.Status412PreconditionFailed, "Precondition failed", detail, ErrorCodes.PreconditionFailed);

    public static ProblemHttpResult PreconditionRequired() =>
        Problem(StatusCodes.Status428PreconditionRequired, "Precondition required",
            "Send If-Match with the ETag of the version you are changing.", ErrorCodes.PreconditionRequired);

    public static ProblemHttpResult Problem(int status, string title, string detail, string errorCode) =>
        TypedResults.Problem(detail, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["error_code"] = errorCode });
}
