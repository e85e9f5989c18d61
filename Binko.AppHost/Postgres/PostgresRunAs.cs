using System.Globalization;
using System.Runtime.InteropServices;

namespace Binko.AppHost.Postgres;

/// <summary>
/// PostgreSQL refuses to run as root. When we are root, initdb and postgres run as the "postgres" account through
/// <c>setpriv</c>, which execs the program, so the child's pid is the postmaster's own.
/// </summary>
public sealed class PostgresRunAs
{
    public const string AccountName = "postgres";

    private readonly string? _setpriv;
    private readonly uint _uid;
    private readonly uint _gid;

    private PostgresRunAs(string? setpriv, uint uid = 0, uint gid = 0)
    {
        _setpriv = setpriv;
        _uid = uid;
        _gid = gid;
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown(string path, uint owner, uint group);

    public static bool IsRoot => !OperatingSystem.IsWindows() && GetEffectiveUserId() == 0;

    /// <summary>
    /// When root: checks the account and setpriv exist, creates <paramref name="dataDirectory"/>, gives it (recursively)
    /// to the account and checks the account can reach it. Otherwise just creates the directory.
    /// </summary>
    public static async Task<PostgresRunAs> PrepareAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        if (!IsRoot)
            return new PostgresRunAs(null);

        var setpriv = Executables.FindOnPath("setpriv") ?? throw new InvalidOperationException(
            "Running as root, PostgreSQL must be started as the 'postgres' account with setpriv, which is not on PATH (install util-linux).");
        var (accountExit, passwd) = await Executables.RunAsync("getent", ["passwd", AccountName], cancellationToken).ConfigureAwait(false);
        if (accountExit != 0)
            throw new InvalidOperationException(
                $"Running as root, PostgreSQL must run as the '{AccountName}' account, which does not exist. " +
                $"Create it (e.g. `useradd --system --user-group {AccountName}`) or run as a non-root user.");

        // Refuses "/", "/tmp", "/var" and the like, whose contents are not ours to give away.
        if (dataDirectory.Split('/', StringSplitOptions.RemoveEmptyEntries).Length < 2)
            throw new InvalidOperationException(
                $"Refusing to give {dataDirectory} and everything in it to the '{AccountName}' account: use a directory of its own, e.g. /var/lib/binko/postgres.");
        var (chownExit, chownOutput) = await Executables.RunAsync("chown", ["-R", $"{AccountName}:{AccountName}", dataDirectory], cancellationToken).ConfigureAwait(false);
        if (chownExit != 0)
            throw new InvalidOperationException($"Could not give {dataDirectory} to the '{AccountName}' account: {chownOutput}");

        // name:password:uid:gid:gecos:home:shell
        var fields = passwd.Split(':');
        var runAs = new PostgresRunAs(setpriv, uint.Parse(fields[2], CultureInfo.InvariantCulture), uint.Parse(fields[3], CultureInfo.InvariantCulture));
        await runAs.CheckReachableAsync(Path.GetFullPath(dataDirectory), cancellationToken).ConfigureAwait(false);
        return runAs;
    }

    /// <summary>Gives one file we created to the account, so that it can read it.</summary>
    public void GiveToAccount(string path)
    {
        if (_setpriv is null)
            return;
        if (Chown(path, _uid, _gid) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException($"chown {path} to '{AccountName}' failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    /// <summary>The file name and arguments that run <paramref name="program"/> as the account when needed.</summary>
    public (string FileName, IReadOnlyList<string> Arguments) Wrap(string program, IReadOnlyList<string> arguments) =>
        _setpriv is null
            ? (program, arguments)
            : (_setpriv, [$"--reuid={AccountName}", $"--regid={AccountName}", "--init-groups", "--", program, .. arguments]);

    private async Task CheckReachableAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var directories = new List<string>();
        for (var dir = dataDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            directories.Insert(0, dir);

        // Prints the first directory the account cannot enter, or the data directory itself if it cannot write there.
        const string script = "for d; do [ -x \"$d\" ] || { printf '%s' \"$d\"; exit 1; }; done; [ -w \"$d\" ] || { printf '%s' \"$d\"; exit 1; }";
        var (fileName, arguments) = Wrap("/bin/sh", ["-c", script, "sh", .. directories]);
        var (exit, output) = await Executables.RunAsync(fileName, arguments, cancellationToken).ConfigureAwait(false);
        if (exit != 0)
            throw new InvalidOperationException(
                $"The '{AccountName}' account that runs PostgreSQL cannot enter (or write to) '{output.Trim()}' on the way to {dataDirectory}. " +
                "Put the data directory somewhere it can reach (e.g. under /tmp or /var/lib), or open up that directory.");
    }
}
