using System.ComponentModel.DataAnnotations;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Binko.Api.Models;

/// <summary>A JSON object (not an array, string, number or boolean) whose JSON text, as sent, is at most
/// <paramref name="maximumBytes"/> bytes of UTF-8. Absence (or JSON null) passes.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class JsonObjectSizeAttribute(int maximumBytes) : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) => value switch
    {
        JsonElement { ValueKind: not JsonValueKind.Object } => new ValidationResult("Must be a JSON object."),
        JsonElement element when JsonMarshal.GetRawUtf8Value(element).Length > maximumBytes =>
            new ValidationResult($"Must be at most {maximumBytes} bytes of JSON."),
        _ => ValidationResult.Success,
    };
}
