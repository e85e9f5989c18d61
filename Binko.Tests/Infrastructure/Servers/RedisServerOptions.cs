namespace Binko.Tests.Infrastructure.Servers;

public sealed record RedisServerOptions
{
    /// <summary>Required by AUTH. Keep it free of ',' and '=': it goes into a StackExchange.Redis connection string.</summary>
    public required string Password { get; init; }

    /// <summary>The server's working directory (created when missing). Nothing is persisted there.</summary>
    public required string Directory { get; init; }

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>Run garnet-server even when redis-server is on PATH.</summary>
    public bool UseGarnet { get; init; }

    /// <summary>Receives every line the server prints.</summary>
    public Action<string>? Output { get; init; }
}
