using System.ComponentModel.DataAnnotations;

namespace Binko.ServiceDefaults.Health;

/// <summary>Section <c>Health</c>.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>Every check's budget: one that has not answered by then is reported failed (its registration's failure
    /// status), so <c>/health</c> answers within this (checks run side by side) whatever a dependency does.</summary>
    [Range(50, 30_000)]
    public int CheckTimeoutMs { get; set; } = 1500;
}
