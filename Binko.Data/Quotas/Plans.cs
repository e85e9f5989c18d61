using Binko.Data.Generations;

namespace Binko.Data.Quotas;

/// <summary>The plans allowances are set by: a guest (no token), a free user, and a user whose token says
/// <c>plan=pro</c>. The API stores the caller's plan with each job; the worker spends that plan's LLM-call budget.</summary>
public static class Plans
{
    public const string Guest = "guest";
    public const string Free = "free";
    public const string Pro = "pro";

    /// <summary>The plan a job was queued under; for a job queued before plans were stored, what its owner id says
    /// (a user is on the free plan, anyone else is a guest).</summary>
    public static string Of(Entities.Generation job) => job.Plan ?? (Owners.UserIdOf(job.OwnerId) is null ? Guest : Free);

    /// <summary>The allowance of <paramref name="plan"/> among a setting's three (an unknown plan gets the guest's).</summary>
    public static int Allowance(string plan, int guest, int free, int pro) => plan switch
    {
        Pro => pro,
        Free => free,
        _ => guest,
    };
}
