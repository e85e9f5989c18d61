using System.Data.Common;
using Npgsql;

namespace Binko.ServiceDefaults.Clients;

/// <summary>
/// What Binko's services add to a Postgres connection string that leaves it out: automatic preparation of the
/// statements a service runs again and again (Npgsql's <c>Max Auto Prepare</c>), so Postgres stops parsing and
/// planning them for every request. A connection string's own value wins: <c>Max Auto Prepare=0</c> turns it off,
/// as a PgBouncer in transaction mode without prepared-statement support needs.
/// </summary>
public static class NpgsqlConnectionDefaults
{
    public const int MaxAutoPrepare = 50;

    public static string Apply(string connectionString)
    {
        // NpgsqlConnectionStringBuilder knows every keyword, set or not: the plain builder lists what was given.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>();
        if (given.Any(key => key.Replace(" ", "").Equals(nameof(NpgsqlConnectionStringBuilder.MaxAutoPrepare), StringComparison.OrdinalIgnoreCase)))
            return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = MaxAutoPrepare }.ConnectionString;
    }
}
