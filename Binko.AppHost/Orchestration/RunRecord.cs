using System.Globalization;
using System.Text.Json;
using Binko.AppHost.Hosting.Processes;

namespace Binko.AppHost.Orchestration;

/// <summary>
/// <c>apphost-run.json</c> in the data directory: this AppHost's pid and every process it started. A clean stop deletes
/// it. When an AppHost was killed (SIGKILL, OOM) its children survive it; the next run finds its record, stops those
/// children (only processes whose pid and start time still match), and can then take the ports and the database again.
/// Two AppHosts sharing one data directory are refused. Linux only (it reads /proc).
/// </summary>
internal sealed class RunRecord
{
    private const string FileName = "apphost-run.json";
    private static readonly TimeSpan LeftoverGrace = TimeSpan.FromSeconds(5);

    private readonly string _path;
    private readonly List<RecordedProcess> _processes = [];
    private readonly Lock _lock = new();

    private RunRecord(string path) => _path = path;

    /// <summary>Deals with an earlier run's record, then claims the directory for this process.</summary>
    public static async Task<RunRecord> ClaimAsync(string dataDirectory, RunReporter reporter)
    {
        var record = new RunRecord(Path.Combine(dataDirectory, FileName));
        if (!OperatingSystem.IsLinux())
            return record;

        if (Load(record._path) is { } earlier)
        {
            if (IsSameProcess(earlier.AppHost) && earlier.AppHost.Pid != Environment.ProcessId)
                throw new AppHostException(
                    $"Another Binko AppHost (pid {earlier.AppHost.Pid}) is running with the data directory {dataDirectory}. " +
                    "Stop it first, or give this one another AppHost:DataDirectory.");
            var leftovers = earlier.Processes.Where(IsSameProcess).ToList();
            if (leftovers.Count > 0)
            {
                await reporter.InfoAsync(
                    $"an earlier AppHost (pid {earlier.AppHost.Pid}) did not stop cleanly; stopping what it left running: " +
                    string.Join(", ", leftovers.Select(p => $"{p.Name} (pid {p.Pid})"))).ConfigureAwait(false);
                await StopLeftoversAsync(leftovers).ConfigureAwait(false);
            }
        }
        record.Save();
        return record;
    }

    public void Add(string name, int pid)
    {
        if (!OperatingSystem.IsLinux() || StartTime(pid) is not { } startTime)
            return;
        lock (_lock)
        {
            _processes.Add(new RecordedProcess(name, pid, startTime));
            Save();
        }
    }

    /// <summary>Called once everything has stopped.</summary>
    public void Delete()
    {
        lock (_lock)
            File.Delete(_path);
    }

    private void Save()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var self = new RecordedProcess("apphost", Environment.ProcessId, StartTime(Environment.ProcessId) ?? 0);
        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new Record(self, [.. _processes])));
        File.Move(temporary, _path, overwrite: true);
    }

    private static Record? Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<Record>(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            // A half-written record from a killed run: nothing trustworthy to act on.
            return null;
        }
    }

    private static async Task StopLeftoversAsync(List<RecordedProcess> leftovers)
    {
        // Postgres: SIGINT is its fast shutdown. The others: SIGTERM. Then SIGKILL for whatever is still there.
        foreach (var process in leftovers)
            Signals.Send(process.Pid, process.Name == "postgres" ? Signal.SIGINT : Signal.SIGTERM);
        var deadline = DateTime.UtcNow + LeftoverGrace;
        while (leftovers.Any(IsSameProcess) && DateTime.UtcNow < deadline)
            await Task.Delay(100).ConfigureAwait(false);
        foreach (var process in leftovers.Where(IsSameProcess))
            Signals.Send(process.Pid, Signal.SIGKILL);
        deadline = DateTime.UtcNow + LeftoverGrace;
        while (leftovers.Any(IsSameProcess) && DateTime.UtcNow < deadline)
            await Task.Delay(100).ConfigureAwait(false);
        if (leftovers.FirstOrDefault(IsSameProcess) is { } survivor)
            throw new AppHostException($"{survivor.Name} (pid {survivor.Pid}), left running by an earlier AppHost, does not exit; stop it and retry.");
    }

    /// <summary>The pid exists, is not a zombie, and started when the record says (so it is not a recycled pid).</summary>
    private static bool IsSameProcess(RecordedProcess process) =>
        process.Pid > 0 && StartTime(process.Pid) == process.StartTime;

    /// <summary>Field 22 of /proc/pid/stat (clock ticks after boot); null when there is no such (live) process.</summary>
    private static long? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state); field 22 is fields[19].
            return fields[0] == "Z" ? null : long.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private sealed record RecordedProcess(string Name, int Pid, long StartTime);

    private sealed record Record(RecordedProcess AppHost, List<RecordedProcess> Processes);
}
