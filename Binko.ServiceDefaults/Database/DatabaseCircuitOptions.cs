using System.ComponentModel.DataAnnotations;

namespace Binko.ServiceDefaults.Database;

/// <summary>Section <c>Database:Circuit</c>: the circuit breaker in front of Postgres.</summary>
public sealed class DatabaseCircuitOptions
{
    public const string SectionName = "Database:Circuit";

    /// <summary>How long the circuit opened by failed requests stays open before one request may try the database again;
    /// also the <c>Retry-After</c> of a request turned away.</summary>
    [Range(0.5, 300)]
    public double BreakSeconds { get; set; } = 2;

    /// <summary>How often the background probe runs <c>SELECT 1</c>, so a frozen database is noticed with no traffic.</summary>
    [Range(0.1, 60)]
    public double ProbeSeconds { get; set; } = 1;

    /// <summary>A probe slower than this counts as a failure; <see cref="DatabaseCircuit.ProbeFailuresToOpen"/> in a row open
    /// the circuit.</summary>
    [Range(50, 30_000)]
    public int ProbeTimeoutMs { get; set; } = 1000;
}
