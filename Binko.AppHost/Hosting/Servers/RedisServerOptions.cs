namespace Binko.AppHost.Hosting.Servers;

public sealed record RedisServerOptions
{
    /// <summary>Required by AUTH. Keep it free of ',' and '=': it goes into a StackExchange.Redis connection string.</summary>
    public required string Password { get; init; }

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Null: no persistence. Otherwise redis-server keeps its RDB snapshots and append-only file there.
    /// The embedded Garnet never persists.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>Use the embedded Garnet even when redis-server is on PATH.</summary>
    public bool PreferEmbedded { get; init; }

    /// <summary>Receives every line redis-server prints, or Garnet's log lines.</summary>
    public Action<string>? Output { get; init; }

    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
