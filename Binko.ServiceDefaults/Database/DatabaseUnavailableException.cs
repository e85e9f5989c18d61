using System.Data.Common;

namespace Binko.ServiceDefaults.Database;

/// <summary>
/// Thrown at once, without touching the database, while the database circuit is open. A <see cref="DbException"/>, so
/// code that already treats database failures as transient (the worker's loops) treats this one the same way.
/// </summary>
public sealed class DatabaseUnavailableException(TimeSpan retryAfter, Exception? inner = null)
    : DbException("The database is unavailable: its circuit is open.", inner)
{
    /// <summary>When the circuit lets the next attempt through.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
