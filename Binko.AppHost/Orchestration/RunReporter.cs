namespace Binko.AppHost.Orchestration;

/// <summary>
/// Where the run says what happens: each resource's output goes to its instance's log (and, with EchoOutput, to the
/// console prefixed by the instance's name), an unexpected exit to the instance and stderr, and the AppHost's own
/// messages to the console prefixed by "[apphost]".
/// </summary>
internal sealed class RunReporter(TextWriter output, TextWriter error, bool echoOutput, Func<bool> stopping)
{
    public Task InfoAsync(string message) => output.WriteLineAsync($"[apphost] {message}");

    public Task ErrorAsync(string message) => error.WriteLineAsync($"[apphost] {message}");

    /// <summary>Receives the instance's output lines.</summary>
    public Action<string> OutputOf(ResourceInstance instance) => line =>
    {
        instance.Log.Add(line);
        if (echoOutput)
            output.WriteLine($"[{instance.Name}] {line}");
    };

    /// <summary>Reports the instance's exit as a crash unless, by then, the run is stopping.</summary>
    public void WatchForExit(ResourceInstance instance, Task<int> exited) => _ = ReportExitAsync(instance, exited);

    private async Task ReportExitAsync(ResourceInstance instance, Task<int> exited)
    {
        var exitCode = await exited.ConfigureAwait(false);
        if (stopping())
            return;
        instance.MarkExited(exitCode);
        instance.Log.Add($"[apphost] exited with code {exitCode}");
        await ErrorAsync($"{instance.Name} (pid {instance.ProcessId}) exited unexpectedly with code {exitCode}; see its output above or on the dashboard.").ConfigureAwait(false);
    }
}
