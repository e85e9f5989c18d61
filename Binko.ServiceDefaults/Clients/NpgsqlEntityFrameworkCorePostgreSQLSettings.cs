namespace Binko.ServiceDefaults.Clients;

/// <summary>
/// Settings of the Postgres client integration, bound from <c>Aspire:Npgsql:EntityFrameworkCore:PostgreSQL</c>
/// (and its <c>:&lt;DbContext name&gt;</c> subsection) as .NET Aspire's integration does.
/// </summary>
public sealed class NpgsqlEntityFrameworkCorePostgreSQLSettings
{
    public const string SectionName = "Aspire:Npgsql:EntityFrameworkCore:PostgreSQL";

    public string? ConnectionString { get; set; }

    /// <summary>Retry transient failures (EF Core's execution strategy). Code that opens its own transactions
    /// must then run them through <c>Database.CreateExecutionStrategy()</c>.</summary>
    public bool DisableRetry { get; set; }

    public bool DisableHealthChecks { get; set; }

    public bool DisableTracing { get; set; }

    public bool DisableMetrics { get; set; }

    /// <summary>Seconds a command may run before it is cancelled.</summary>
    public int CommandTimeout { get; set; } = 30;
}
