using System.ComponentModel.DataAnnotations;
using Binko.Data.Quotas;

namespace Binko.GenerationWorker.Options;

/// <summary>
/// LLM calls (chat requests, a repair call included) the worker makes for one owner's jobs in a UTC day, per plan,
/// section <c>Quotas:LlmCalls</c>; validated at start-up. Counted when the worker calls, whatever becomes of the job
/// (a refund of the generation's quota unit gives no call back); with the budget spent, the job fails with
/// <c>llm_budget_exhausted</c>.
/// </summary>
public sealed class LlmCallQuotaOptions
{
    public const string SectionName = "Quotas:LlmCalls";

    [Range(0, 1_000_000)] public int Guest { get; set; } = 10;

    [Range(0, 1_000_000)] public int Free { get; set; } = 60;

    [Range(0, 1_000_000)] public int Pro { get; set; } = 600;

    public int For(string plan) => Plans.Allowance(plan, Guest, Free, Pro);
}
