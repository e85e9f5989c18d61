namespace Binko.Data.Entities;

/// <summary>What a subject used on one UTC day: an owner's generations, or their LLM calls
/// (<see cref="Quotas.QuotaLedger.LlmCallsSubject"/>).</summary>
public sealed class QuotaUsage
{
    public required string SubjectId { get; set; }
    public DateOnly Day { get; set; }
    public int Used { get; set; }
}
