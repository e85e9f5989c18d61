using System.ComponentModel.DataAnnotations;

namespace Binko.Api.Models;

/// <summary>
/// An <see cref="Rfc3339"/> timestamp no more than <see cref="MaximumAhead"/> ahead of the server's clock (the registered
/// <see cref="TimeProvider"/>) and no older than <see cref="MaximumAge"/>: funnels are analysed over windows of up to a
/// week, and a clock far ahead is a broken client. Absence is for <c>[Required]</c> to report.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RecentTimestampAttribute : ValidationAttribute
{
    public static readonly TimeSpan MaximumAhead = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaximumAge = TimeSpan.FromDays(7);

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not string text)
            return ValidationResult.Success;
        if (!Rfc3339.TryParse(text, out var timestamp))
            return new ValidationResult("Must be an RFC 3339 timestamp with an offset, such as 2026-11-24T09:30:00Z.");

        var now = validationContext.GetRequiredService<TimeProvider>().GetUtcNow();
        if (timestamp > now + MaximumAhead)
            return new ValidationResult($"Must not be more than {MaximumAhead.TotalMinutes} minutes in the future.");
        if (timestamp < now - MaximumAge)
            return new ValidationResult($"Must not be older than {MaximumAge.TotalDays} days.");
        return ValidationResult.Success;
    }
}
