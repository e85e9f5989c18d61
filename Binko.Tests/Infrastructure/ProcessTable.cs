namespace Binko.Tests.Infrastructure;

/// <summary>Reads /proc to tell whether processes a test started are still there. A zombie counts as gone.</summary>
internal static class ProcessTable
{
    public static bool IsAlive(int processId) => ReadStat(processId) is { State: not ('Z' or 'X') };

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

    /// <summary>Command lines of running processes (other than this one) that mention <paramref name="text"/>.</summary>
    public static IReadOnlyList<string> CommandLinesContaining(string text)
    {
        var matches = new List<string>();
        foreach (var processId in ProcessIds().Where(id => id != System.Environment.ProcessId))
        {
            var commandLine = Read($"/proc/{processId}/cmdline")?.Replace('\0', ' ');
            if (commandLine is not null && commandLine.Contains(text, StringComparison.Ordinal) && IsAlive(processId))
                matches.Add($"{processId}: {commandLine}");
        }
        return matches;
    }

    private static IEnumerable<int> ProcessIds() =>
        Directory.EnumerateDirectories("/proc")
            .Select(directory => int.TryParse(Path.GetFileName(directory), out var processId) ? processId : 0)
            .Where(processId => processId > 0);

    private static (char State, int ParentId)? ReadStat(int processId)
    {
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
        var stat = Read($"/proc/{processId}/stat");
        if (stat is null)
            return null;
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0][0], int.Parse(fields[1]));
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
