using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Binko.Api.Http;
using Binko.Api.Models;
using Binko.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.Json;

namespace Binko.Api.Extensions;

public static class ValidationExtensions
{
    /// <summary>
    /// Every malformed request answers a 400 validation problem that names the offending field: DataAnnotations on
    /// request records (minimal-API validation), unknown JSON members rejected, enums only as their snake_case names,
    /// malformed JSON reported with its JSON path instead of an empty 400, and no string the database cannot store
    /// (<see cref="StorableText"/>: a NUL anywhere in a body, free-form JSON included). Fields the LLM's prompt carries as
    /// a line are <see cref="SingleLineAttribute"/>.
    /// </summary>
    public static void AddRequestValidation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidation();

        builder.Services.Configure<JsonOptions>(options =>
        {
            var json = options.SerializerOptions;
            json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
            json.TypeInfoResolver = (json.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(StorableText.Require);
        });

        // Minimal APIs otherwise swallow binding failures (bad JSON, an unparsable query value) into an empty 400;
        // thrown, they reach BadRequestExceptionHandler, which names the field.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();

        // Validation problems (from AddValidation or from a handler) carry error_code "validation_failed".
        builder.Services.PostConfigure<ProblemDetailsOptions>(options =>
        {
            var inner = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                if (context.ProblemDetails is HttpValidationProblemDetails validation)
                {
                    validation.Extensions.TryAdd("error_code", ErrorCodes.ValidationFailed);
                    SnakeCaseKeys(validation.Errors);
                }
                inner?.Invoke(context);
            };
        });
    }

    /// <summary>The built-in validation names members as declared in C# (<c>Items[3].EstimatedHours</c>); clients sent
    /// <c>items[3].estimated_hours</c>, so the keys are rewritten to match. Keys already in snake_case stay as they are.</summary>
    private static void SnakeCaseKeys(IDictionary<string, string[]> errors)
    {
        // Keys that are not C# member paths (such as the Idempotency-Key header) are left alone.
        foreach (var key in errors.Keys.Where(key => !key.Contains('-')).ToList())
        {
            var snake = string.Join('.', key.Split('.').Select(segment =>
            {
                var bracket = segment.IndexOf('[');
                return bracket < 0
                    ? JsonNamingPolicy.SnakeCaseLower.ConvertName(segment)
                    : JsonNamingPolicy.SnakeCaseLower.ConvertName(segment[..bracket]) + segment[bracket..];
            }));
            if (snake == key)
                continue;
            var messages = errors[key];
            errors.Remove(key);
            errors[snake] = errors.TryGetValue(snake, out var existing) ? [.. existing, .. messages] : messages;
        }
    }
}
