namespace Binko.Tests.Infrastructure;

/// <summary>Reads /proc to tell whether processes a test started are still there. A zombie counts as gone.</summary>
internal static class ProcessTable
{
    public static bool IsAlive(int processId) => ReadStat(processId) is { State: not ('Z' or 'X') };

    /// <summary>
    /// When the process started (clock ticks after boot), or null when there is no such process. With its id, it names
    /// one process: an id alone may have been given to another process since.
    /// </summary>
    public static long? StartTime(int processId) => ReadStat(processId)?.StartTime;

    public static IReadOnlyList<int> ChildrenOf(int parent) =>
        [.. ProcessIds().Where(processId => ReadStat(processId)?.ParentId == parent)];

    /// <summary>The environment a process was started with, from /proc/pid/environ.</summary>
    public static IReadOnlyDictionary<string, string> Environment(int processId) =>
        File.ReadAllText($"/proc/{processId}/environ")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);

    /// <summary>"pid: command line" of running processes (other than this one) whose command line mentions <paramref name="text"/>.</summary>
    public static IReadOnlyList<string> CommandLinesContaining(string text) =>
        [.. Matching(text).Select(match => $"{match.ProcessId}: {match.CommandLine}")];

    /// <summary>Running processes (other than this one) whose command line mentions <paramref name="text"/>.</summary>
    public static IReadOnlyList<int> WithCommandLineContaining(string text) => [.. Matching(text).Select(match => match.ProcessId)];

    private static IEnumerable<(int ProcessId, string CommandLine)> Matching(string text) =>
        from processId in ProcessIds()
        where processId != System.Environment.ProcessId
        let commandLine = Read($"/proc/{processId}/cmdline")?.Replace('\0', ' ')
        where commandLine is not null && commandLine.Contains(text, StringComparison.Ordinal) && IsAlive(processId)
        select (processId, commandLine);

    private static IEnumerable<int> ProcessIds() =>
        Directory.EnumerateDirectories("/proc")
            .Select(directory => int.TryParse(Path.GetFileName(directory), out var processId) ? processId : 0)
            .Where(processId => processId > 0);

    private static (char State, int ParentId, long StartTime)? ReadStat(int processId)
    {
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
        // fields[0] is then the 3rd field (state), fields[19] the 22nd (starttime).
        var stat = Read($"/proc/{processId}/stat");
        if (stat is null)
            return null;
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0][0], int.Parse(fields[1]), long.Parse(fields[19]));
    }

    /// <summary>The file's text, or null when the process exited while we looked.</summary>
    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
