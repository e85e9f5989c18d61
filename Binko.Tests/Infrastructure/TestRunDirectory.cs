using Binko.Tests.Infrastructure.Servers;

namespace Binko.Tests.Infrastructure;

/// <summary>
/// The temporary directory of one test run. It records the test process and the processes it started (servers,
/// services), so the next run can stop those that a killed run left behind and remove their files. A run that ends
/// normally, or fails, stops its own in the fixtures' DisposeAsync.
/// </summary>
internal sealed class TestRunDirectory
{
    private const string Prefix = "binko-tests-";
    private const string OwnerFile = "owner.pid";
    private const string ProcessesFile = "processes.pid";

    private readonly Lock _recordLock = new();

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

    /// <summary>Records a process as "pid starttime": together they name that process and no later one.</summary>
    public void RecordProcess(int processId)
    {
        lock (_recordLock)
            File.AppendAllText(System.IO.Path.Combine(Path, ProcessesFile), $"{processId} {ProcessTable.StartTime(processId)}\n");
    }

    public void Delete() => Directory.Delete(Path, recursive: true);

    /// <summary>Runs whose test process is gone: kill the servers they recorded, then delete their files.</summary>
    private static void RemoveAbandonedRuns()
    {
        foreach (var run in Directory.EnumerateDirectories(System.IO.Path.GetTempPath(), Prefix + "*"))
        {
            if (!int.TryParse(ReadOrEmpty(run, OwnerFile), out var owner) || ProcessTable.IsAlive(owner))
                continue;
            new TestRunDirectory(run).KillRecordedProcesses();
            Directory.Delete(run, recursive: true);
        }
    }

    /// <summary>The last resort when a run is interrupted (Ctrl+C, SIGTERM) before its fixtures are disposed.</summary>
    public void KillRecordedProcesses()
    {
        foreach (var line in ReadOrEmpty(Path, ProcessesFile).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // Checked by start time too, so a recycled process id never gets an unrelated process killed.
            var fields = line.Split(' ');
            if (fields is [var id, var startTime] && int.TryParse(id, out var processId) && ProcessTable.StartTime(processId)?.ToString() == startTime)
                Signals.Send(processId, Signal.SIGKILL);
        }
    }

    private static string ReadOrEmpty(string directory, string file)
    {
        var path = System.IO.Path.Combine(directory, file);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : "";
    }
}
