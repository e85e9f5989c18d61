using System.Security.Cryptography;
using Npgsql;

namespace Binko.Backup;

/// <summary>
/// A database that exists only while a dump is verified, on the same server as the one backed up, named
/// <c>&lt;database&gt;_verify_&lt;random&gt;</c>. <see cref="DropAsync"/> runs whatever happened before it (a failed
/// restore, Ctrl+C), so none is left behind.
/// </summary>
public sealed class ScratchDatabase(ServerConnection server, TextWriter output)
{
    private const int MaxIdentifierLength = 63;

    public string Name { get; } = NameFor(server.Database);

    public static string NameFor(string database)
    {
        var suffix = $"_verify_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        return database[..Math.Min(database.Length, MaxIdentifierLength - suffix.Length)] + suffix;
    }

    /// <summary>Empty, from template0: nothing in it that the restore did not put there.</summary>
    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await server.OpenAsync(cancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE {Quote(Name)} TEMPLATE template0", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Drops it if it exists, ending any session still in it (pg_restore's, when it was interrupted). Not
    /// cancellable: it is the clean-up of a cancellation. A failure is reported, with the name to drop by hand.</summary>
    public async Task DropAsync()
    {
        try
        {
            await using var connection = await server.OpenAsync(CancellationToken.None);
            // WITH (FORCE) (PostgreSQL 13+) ends the sessions of a pg_restore that was killed but not yet noticed by its backend.
            var force = connection.PostgreSqlVersion.Major >= 13 ? " WITH (FORCE)" : "";
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Quote(Name)}{force}", connection);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
            output.WriteLine($"verify: dropped the scratch database {Name}");
        }
        catch (NpgsqlException ex)
        {
            output.WriteLine($"warning: could not drop the scratch database {Name} ({ex.Message}); drop it by hand");
            throw;
        }
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
