namespace Binko.Tests.Infrastructure.Servers;

public sealed record PostgresServerOptions
{
    /// <summary>Server files go in DataDirectory/pgdata; initdb runs when that is missing, otherwise it is re-used.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Password of the superuser "postgres" (scram-sha-256 over TCP). Only takes effect when initdb runs.</summary>
    public required string Password { get; init; }

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>Postgres' max_connections. Test runs with many databases, each with its own pools, need more.</summary>
    public int MaxConnections { get; init; } = 200;

    /// <summary>Receives every line printed by initdb and postgres.</summary>
    public Action<string>? Output { get; init; }
}
