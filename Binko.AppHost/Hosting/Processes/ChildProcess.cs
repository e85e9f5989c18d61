using System.Collections.Concurrent;
using System.Diagnostics;

namespace Binko.AppHost.Hosting.Processes;

public sealed record ChildProcessOptions
{
    public required string FileName { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Applied on top of the inherited environment; a null value removes an inherited variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public string? WorkingDirectory { get; init; }

    /// <summary>Receives every stdout and stderr line. Called on thread-pool threads, possibly concurrently.</summary>
    public Action<string>? Output { get; init; }

    /// <summary>Written to the child's stdin, which is then closed; null leaves stdin attached to nothing.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Sent if this process (the host) exits while the child still runs; the child is SIGKILLed 5 s later.</summary>
    public Signal HostExitSignal { get; init; } = Signal.SIGTERM;
}

/// <summary>A started child process whose output is streamed line by line and which can be stopped with a signal.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int RecentLineCount = 50;

    /// <summary>How long to wait for the output pipes to drain after exit; a grandchild may hold them open.</summary>
    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan HostExitTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Children still running when the host exits normally (ProcessExit: Main returned, Environment.Exit, or a
    /// Generic Host's handled SIGTERM/Ctrl+C) are stopped then, so they are not left orphaned. Nothing runs when
    /// the host is SIGKILLed or dies of an unhandled SIGTERM (.NET 10 raises no ProcessExit for that).
    /// </summary>
    private static readonly ConcurrentDictionary<ChildProcess, byte> Running = new();
    private static int _hostExitHooked;

    private readonly Process _process;
    private readonly Action<string>? _output;
    private readonly Signal _hostExitSignal;
    private readonly Queue<string> _recent = new();
    private readonly TaskCompletionSource _processExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _stopLock = new();
    private Task? _stopTask;
    private int _exitCode;

    private ChildProcess(Process process, Action<string>? output, Signal hostExitSignal)
    {
        _process = process;
        _output = output;
        _hostExitSignal = hostExitSignal;
        Exited = WaitForExitAndOutputAsync();
    }

    public int Id { get; private set; }
    public string FileName => _process.StartInfo.FileName;
    public bool HasExited => _processExited.Task.IsCompleted;
    public int? ExitCode => HasExited ? _exitCode : null;

    /// <summary>Completes with the exit code once the process has exited and its output has been delivered.</summary>
    public Task<int> Exited { get; }

    public static ChildProcess Start(ChildProcessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var startInfo = new ProcessStartInfo(options.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = options.StandardInput is not null,
            WorkingDirectory = options.WorkingDirectory ?? "",
        };
        foreach (var argument in options.Arguments)
            startInfo.ArgumentList.Add(argument);
        foreach (var (name, value) in options.Environment)
        {
            if (value is null)
                startInfo.Environment.Remove(name);
            else
                startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(process, options.Output, options.HostExitSignal);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, child._stdoutClosed);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, child._stderrClosed);
        process.Exited += (_, _) => child.OnExited();

        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start '{options.FileName}': {ex.Message}", ex);
        }

        child.Id = process.Id;
        Running.TryAdd(child, 0);
        if (Interlocked.Exchange(ref _hostExitHooked, 1) == 0)
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAllOnHostExit();
        if (child.HasExited)
            Running.TryRemove(child, out _);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (options.StandardInput is not null)
        {
            process.StandardInput.Write(options.StandardInput);
            process.StandardInput.Close();
        }
        return child;
    }

    /// <summary>Full path of the first executable file named <paramref name="name"/> on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        var path = System.Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (IsExecutableFile(candidate))
                return candidate;
        }
        return null;
    }

    public static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
            return false;
        if (OperatingSystem.IsWindows())
            return true;
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }

    /// <summary>The last lines of output (stdout and stderr interleaved), oldest first.</summary>
    public IReadOnlyList<string> GetRecentOutput()
    {
        lock (_recent)
            return [.. _recent];
    }

    /// <summary>Sends a signal unless the process has already exited; returns whether it was sent.</summary>
    public bool SendSignal(Signal signal) => !HasExited && Signals.Send(Id, signal);

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit; returns whether it did.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var exited = Exited;
        if (exited.IsCompleted)
            return true;
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, timeoutCts.Token);
        var first = await Task.WhenAny(exited, delay).ConfigureAwait(false);
        await timeoutCts.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == exited;
    }

    /// <summary>
    /// Sends <paramref name="signal"/>, waits up to <paramref name="grace"/>, then SIGKILLs the whole process tree.
    /// Idempotent: concurrent and repeated calls share one stop; returns at once when already exited.
    /// </summary>
    public Task StopAsync(TimeSpan grace, Signal signal = Signal.SIGTERM, CancellationToken cancellationToken = default)
    {
        lock (_stopLock)
            _stopTask ??= StopCoreAsync(grace, signal);
        return _stopTask.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task StopCoreAsync(TimeSpan grace, Signal signal)
    {
        if (!HasExited)
        {
            SendSignal(signal);
            if (!await WaitForExitAsync(grace).ConfigureAwait(false))
                KillTree();
        }
        if (!await WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false))
            throw new TimeoutException($"Process {Id} ({FileName}) did not exit within 10 s of SIGKILL.");
    }

    private void KillTree()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) when (HasExited)
        {
            // It exited between the check and the kill.
        }
    }

    private void OnLine(string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }
        lock (_recent)
        {
            if (_recent.Count == RecentLineCount)
                _recent.Dequeue();
            _recent.Enqueue(line);
        }
        _output?.Invoke(line);
    }

    private void OnExited()
    {
        _exitCode = _process.ExitCode;
        _processExited.TrySetResult();
        Running.TryRemove(this, out _);
    }

    private static void StopAllOnHostExit()
    {
        var children = Running.Keys.ToArray();
        foreach (var child in children)
        {
            try
            {
                child.SendSignal(child._hostExitSignal);
            }
            catch (InvalidOperationException)
            {
                // Not ours to signal (EPERM): nothing more can be done while exiting.
            }
        }
        var deadline = Stopwatch.StartNew();
        foreach (var child in children)
        {
            var remaining = HostExitTimeout - deadline.Elapsed;
            if (!child._process.WaitForExit(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero))
                child.KillTree();
        }
    }

    private async Task<int> WaitForExitAndOutputAsync()
    {
        await _processExited.Task.ConfigureAwait(false);
        var outputClosed = Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task);
        await Task.WhenAny(outputClosed, Task.Delay(OutputDrainTimeout)).ConfigureAwait(false);
        return _exitCode;
    }
}
