namespace Binko.Data.Schema;

/// <summary>How <see cref="SchemaGate"/> behaves in this process.</summary>
public sealed record SchemaGateOptions(bool ApplyMigrations)
{
    /// <summary>How often a process that does not own the schema checks it again.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}
