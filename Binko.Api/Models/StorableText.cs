using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Binko.Api.Models;

/// <summary>
/// Postgres stores no NUL (U+0000) in <c>text</c> or <c>jsonb</c>, and no unpaired surrogate in <c>jsonb</c>: such a
/// request would fail in the database. A contract modifier of the JSON options that read request bodies checks every
/// string, list of strings and free-form JSON a body sets, as it is read, whatever the route or the model; one that holds
/// such a character stops the reading with a <see cref="StorableTextException"/>, which the serializer gives the path of
/// the field (<c>$.events[3].properties</c>). Deserialization is unchanged otherwise, and so is the OpenAPI schema.
/// </summary>
public static class StorableText
{
    public const string Message = "Must not contain NUL (U+0000) characters or unpaired surrogates.";

    public static void Require(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
            return;
        foreach (var property in type.Properties)
        {
            if (property.Set is not { } set || Check(property.PropertyType) is not { } isStorable)
                continue;
            property.Set = (target, value) =>
            {
                if (value is not null && !isStorable(value))
                    throw new StorableTextException();
                set(target, value);
            };
        }
    }

    private static Func<object, bool>? Check(Type type) =>
        type == typeof(string) ? value => IsStorable((string)value)
        : typeof(IEnumerable<string>).IsAssignableFrom(type) ? value => ((IEnumerable<string?>)value).All(item => item is null || IsStorable(item))
        : type == typeof(JsonElement) || type == typeof(JsonElement?) ? value => IsStorable((JsonElement)value)
        : null;

    /// <summary>The deserializer has already refused unpaired surrogates in the strings it reads.</summary>
    private static bool IsStorable(string text) => !text.Contains('\0');

    /// <summary>A free-form JSON value keeps its text as sent: every member name and string in it is read here.</summary>
    private static bool IsStorable(JsonElement element)
    {
        try
        {
            return element.ValueKind switch
            {
                JsonValueKind.String => IsStorable(element.GetString()!),
                JsonValueKind.Array => element.EnumerateArray().All(IsStorable),
                JsonValueKind.Object => element.EnumerateObject().All(member => IsStorable(member.Name) && IsStorable(member.Value)),
                _ => true,
            };
        }
        catch (InvalidOperationException)
        {
            // GetString and Name refuse an escaped unpaired surrogate ("\ud800"), which jsonb refuses too.
            return false;
        }
    }
}

/// <summary>A request body's string that the database could not store; answered as a validation problem on its field.</summary>
public sealed class StorableTextException() : JsonException(StorableText.Message);
