using System.Runtime.InteropServices;

namespace Binko.Tests.Infrastructure.Servers;

/// <summary>Sends POSIX signals through libc, which <see cref="System.Diagnostics.Process"/> cannot do except for SIGKILL.</summary>
public static class Signals
{
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
