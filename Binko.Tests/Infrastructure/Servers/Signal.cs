namespace Binko.Tests.Infrastructure.Servers;

/// <summary>The POSIX signals the tests send (Linux numbers).</summary>
public enum Signal
{
    /// <summary>Postgres: fast shutdown.</summary>
    SIGINT = 2,

    /// <summary>Postgres: immediate shutdown.</summary>
    SIGQUIT = 3,

    SIGKILL = 9,
    SIGTERM = 15,
}
