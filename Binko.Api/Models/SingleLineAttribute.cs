using System.Buffers;
using System.ComponentModel.DataAnnotations;

namespace Binko.Api.Models;

/// <summary>
/// A field the LLM's prompt carries as a line or a list item (skills, interests, technologies, catalog titles,
/// summaries and tags) is one line: no control character (line feed, carriage return, tab, escape, NEL and the other
/// C0 and C1 controls) and no Unicode line or paragraph separator, which could start a line of instructions of its own.
/// On a list, every item. Absence passes.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class SingleLineAttribute : ValidationAttribute
{
    public const string Message = "Must be one line: no line breaks, tabs or other control characters.";
    private const string ItemMessage = "Each item must be one line: no line breaks, tabs or other control characters.";

    /// <summary>C0 (U+0000–U+001F), DEL and C1 (U+007F–U+009F), and the Unicode line and paragraph separators.</summary>
    private static readonly SearchValues<char> LineBreaksAndControls = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(c => (char)c), .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c), '\u2028', '\u2029']);

    public static bool IsSingleLine(string text) => !text.AsSpan().ContainsAny(LineBreaksAndControls);

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) => value switch
    {
        string text when !IsSingleLine(text) => new ValidationResult(Message),
        IEnumerable<string?> items when items.Any(item => item is not null && !IsSingleLine(item)) =>
            new ValidationResult(ItemMessage),
        _ => ValidationResult.Success,
    };
}
