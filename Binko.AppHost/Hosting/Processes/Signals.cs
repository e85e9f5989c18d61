using System.Runtime.InteropServices;

namespace Binko.AppHost.Hosting.Processes;

/// <summary>POSIX signal numbers (Linux values).</summary>
public enum Signal
{
    SIGINT = 2,
    SIGQUIT = 3,
    SIGKILL = 9,
    SIGTERM = 15,
}

/// <summary>Sends POSIX signals through libc, which <see cref="System.Diagnostics.Process"/> cannot do except for SIGKILL.</summary>
public static class Signals
{
    public const int SIGINT = (int)Signal.SIGINT;
    public const int SIGQUIT = (int)Signal.SIGQUIT;
    public const int SIGKILL = (int)Signal.SIGKILL;
    public const int SIGTERM = (int)Signal.SIGTERM;

    private const int ESRCH = 3;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when no such process exists.</summary>
    public static bool Send(int pid, Signal signal)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        if (Kill(pid, (int)signal) == 0)
            return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == ESRCH)
            return false;
        throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}).");
    }
}
