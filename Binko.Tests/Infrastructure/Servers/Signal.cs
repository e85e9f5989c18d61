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

    /// <summary>Resumes a stopped process.</summary>
    SIGCONT = 18,

    /// <summary>Freezes a process, as a network partition or a hung host would look to its clients.</summary>
    SIGSTOP = 19,
}
