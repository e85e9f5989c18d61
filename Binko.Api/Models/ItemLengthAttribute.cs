using System.ComponentModel.DataAnnotations;

namespace Binko.Api.Models;

/// <summary>Every string in the list is non-blank and at most <paramref name="maximumLength"/> characters.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ItemLengthAttribute(int maximumLength) : ValidationAttribute($"Each item must be 1 to {maximumLength} characters.")
{
    public int MaximumLength => maximumLength;

    public override bool IsValid(object? value) =>
        value is not IEnumerable<string?> items || items.All(item => !string.IsNullOrWhiteSpace(item) && item.Length <= maximumLength);
}
