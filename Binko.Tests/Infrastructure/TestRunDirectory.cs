using System.Diagnostics;
using Binko.AppHost.Hosting.Processes;

namespace Binko.Tests.Infrastructure;

/// <summary>
/// The temporary directory of one test run. It records the test process and the servers it started, so the
/// next run can stop servers that a killed run left behind and remove their files. A run that ends normally,
/// or fails, stops its own servers in <see cref="TestInfrastructure.DisposeAsync"/>.
/// </summary>
internal sealed class TestRunDirectory
{
    private const string Prefix = "binko-tests-";
    private const string OwnerFile = "owner.pid";
    private const string ServersFile = "servers.pid";

    private TestRunDirectory(string path) => Path = path;

    public string Path { get; }

    public static TestRunDirectory Create()
    {
        RemoveAbandonedRuns();
        var path = Directory.CreateTempSubdirectory(Prefix).FullName;
        // 0711: the unprivileged account Postgres runs as (when the tests run as root) must pass through.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        File.WriteAllText(System.IO.Path.Combine(path, OwnerFile), Environment.ProcessId.ToString());
        return new TestRunDirectory(path);
    }

    /// <summary>A new, uniquely named directory inside the run's directory.</summary>
    public string CreateSubdirectory(string name) =>
        Directory.CreateDirectory(System.IO.Path.Combine(Path, $"{name}-{Guid.NewGuid():N}")).FullName;

    public void RecordProcesses(params int?[] processIds) =>
        File.WriteAllLines(System.IO.Path.Combine(Path, ServersFile),
            processIds.OfType<int>().Select(id => id.ToString()));

    public void Delete() => Directory.Delete(Path, recursive: true);

    /// <summary>Runs whose test process is gone: kill the servers they recorded, then delete their files.</summary>
    private static void RemoveAbandonedRuns()
    {
        foreach (var run in Directory.EnumerateDirectories(System.IO.Path.GetTempPath(), Prefix + "*"))
        {
            if (!int.TryParse(ReadOrEmpty(run, OwnerFile), out var owner) || IsAlive(owner))
                continue;
            new TestRunDirectory(run).KillRecordedServers();
            Directory.Delete(run, recursive: true);
        }
    }

    /// <summary>The last resort when a run is interrupted (Ctrl+C, SIGTERM) before its fixtures are disposed.</summary>
    public void KillRecordedServers()
    {
        foreach (var line in ReadOrEmpty(Path, ServersFile).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(line, out var server) && IsServer(server))
                Signals.Send(server, Signal.SIGKILL);
        }
    }

    private static string ReadOrEmpty(string directory, string file)
    {
        var path = System.IO.Path.Combine(directory, file);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : "";
    }

    private static bool IsAlive(int processId) => ProcessName(processId) is not null;

    /// <summary>Checked by name too, so a recycled process id never gets an unrelated process killed.</summary>
    private static bool IsServer(int processId) => ProcessName(processId) is "postgres" or "redis-server";

    private static string? ProcessName(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited ? null : process.ProcessName;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
