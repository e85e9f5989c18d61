namespace Binko.Data.Entities;

/// <summary>Generations a subject (user or guest) used on one UTC day.</summary>
public sealed class QuotaUsage
{
    public required string SubjectId { get; set; }
    public DateOnly Day { get; set; }
    public int Used { get; set; }
}
