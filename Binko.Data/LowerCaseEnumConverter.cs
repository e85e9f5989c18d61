using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Binko.Data;

/// <summary>Stores enums as the lowercase words the HTTP API uses ("beginner", "queued").</summary>
public sealed class LowerCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => ToText(value),
    text => Enum.Parse<TEnum>(text, true))
    where TEnum : struct, Enum
{
    /// <summary>The stored word, for SQL written by hand.</summary>
    public static string ToText(TEnum value) => value.ToString().ToLowerInvariant();
}
