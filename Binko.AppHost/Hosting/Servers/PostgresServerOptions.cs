namespace Binko.AppHost.Hosting.Servers;

public sealed record PostgresServerOptions
{
    /// <summary>Server files go in DataDirectory/pgdata; initdb runs when that is missing, otherwise it is re-used.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Password of the superuser "postgres" (scram-sha-256 over TCP). Only takes effect when initdb runs.</summary>
    public required string Password { get; init; }

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>False (tests) turns off fsync, synchronous_commit and full_page_writes, and initdb's syncing.</summary>
    public bool Durable { get; init; } = true;

    /// <summary>Receives every line printed by initdb and postgres.</summary>
    public Action<string>? Output { get; init; }

    /// <summary>Postgres' max_connections. Test runs with many databases, each with its own pools, need more.</summary>
    public int MaxConnections { get; init; } = 200;

    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
