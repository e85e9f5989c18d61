using System.Globalization;
using Npgsql;

namespace Binko.Backup;

/// <summary>
/// The database to back up, from an Npgsql connection string (the services' <c>ConnectionStrings:binkodb</c>), and how
/// to give the same server to pg_dump and pg_restore: host, port and user as arguments, the password only in their
/// environment (PGPASSWORD), never on a command line or in the output.
/// </summary>
public sealed class ServerConnection
{
    public const string EnvironmentVariable = "ConnectionStrings__binkodb";

    private readonly NpgsqlConnectionStringBuilder _settings;

    private ServerConnection(NpgsqlConnectionStringBuilder settings) => _settings = settings;

    public string Database => _settings.Database!;

    /// <summary>Host, port and database, for messages (no user, no password).</summary>
    public string Description => $"{Database} on {_settings.Host}:{_settings.Port.ToString(CultureInfo.InvariantCulture)}";

    public static ServerConnection Resolve(string? connectionString, Func<string, string?> environment)
    {
        connectionString ??= environment(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ToolException($"no connection string: set {EnvironmentVariable} (as the services have it) or pass --connection");

        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            // The parser's message names the offending keyword, not the rest of the string (which holds the password).
            throw new ToolException($"the connection string is not valid: {ex.Message}", ex);
        }
        if (string.IsNullOrEmpty(settings.Host))
            throw new ToolException("the connection string names no Host");
        if (string.IsNullOrEmpty(settings.Database))
            throw new ToolException("the connection string names no Database");

        // One short-lived process: pooled connections would only keep the scratch database busy when it is dropped.
        settings.Pooling = false;
        // Counting the rows of a large table may take longer than the default 30 s; Ctrl+C still cancels it.
        settings.CommandTimeout = 0;
        return new ServerConnection(settings);
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken, string? database = null)
    {
        var settings = new NpgsqlConnectionStringBuilder(_settings.ConnectionString) { Database = database ?? Database };
        var connection = new NpgsqlConnection(settings.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>libpq connection options for pg_dump or pg_restore; <c>--no-password</c>: fail rather than prompt.</summary>
    public IReadOnlyList<string> ClientArguments(string database)
    {
        List<string> arguments = ["--host", _settings.Host!, "--port", _settings.Port.ToString(CultureInfo.InvariantCulture)];
        if (!string.IsNullOrEmpty(_settings.Username))
            arguments.AddRange(["--username", _settings.Username]);
        arguments.AddRange(["--dbname", database, "--no-password"]);
        return arguments;
    }

    /// <summary>The environment pg_dump and pg_restore get on top of this process's: the password, the TLS mode,
    /// and none of the PG* variables that would point them elsewhere.</summary>
    public IReadOnlyDictionary<string, string?> ClientEnvironment() => new Dictionary<string, string?>
    {
        ["PGPASSWORD"] = string.IsNullOrEmpty(_settings.Password) ? null : _settings.Password,
        ["PGSSLMODE"] = LibpqSslMode(_settings.SslMode),
        ["PGAPPNAME"] = "binko-backup",
        ["PGSERVICE"] = null,
        ["PGOPTIONS"] = null,
        ["PGHOSTADDR"] = null,
    };

    private static string LibpqSslMode(SslMode mode) => mode switch
    {
        SslMode.Disable => "disable",
        SslMode.Allow => "allow",
        SslMode.Require => "require",
        SslMode.VerifyCA => "verify-ca",
        SslMode.VerifyFull => "verify-full",
        _ => "prefer",
    };
}
