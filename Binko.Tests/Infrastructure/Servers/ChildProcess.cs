using System.Collections.Concurrent;
using System.Diagnostics;

namespace Binko.Tests.Infrastructure.Servers;

/// <summary>A started child process whose output is streamed line by line and which can be stopped with a signal.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int RecentLineCount = 50;

    /// <summary>How long to wait for the output pipes to drain after exit; a grandchild may hold them open.</summary>
    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Children still running when the test process exits normally (a run interrupted by Ctrl+C before the fixtures
    /// that own them are disposed) are killed with their process trees then, so none is left orphaned. Nothing runs
    /// when the test process is SIGKILLed: <see cref="TestRunDirectory"/> cleans up after such a run.
    /// </summary>
    private static readonly ConcurrentDictionary<ChildProcess, byte> Running = new();
    private static int _hostExitHooked;

    /// <summary>Raised for every child once it runs, so the test run can record it (see <see cref="TestRunDirectory"/>).</summary>
    public static event Action<ChildProcess>? Started;

    private readonly Process _process;
    private readonly Action<string>? _output;
    private readonly Queue<string> _recent = new();
    private readonly TaskCompletionSource _processExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _stopLock = new();
    private Task? _stopTask;
    private int _exitCode;

    private ChildProcess(Process process, Action<string>? output)
    {
        _process = process;
        _output = output;
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
        var child = new ChildProcess(process, options.Output);
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
        Started?.Invoke(child);
        Running.TryAdd(child, 0);
        if (Interlocked.Exchange(ref _hostExitHooked, 1) == 0)
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAllOnHostExit();
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
        try
        {
            await Exited.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
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
        await StopAsync(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    private async Task StopCoreAsync(TimeSpan grace, Signal signal)
    {
        if (!HasExited)
        {
            SendSignal(signal);
            if (!await WaitForExitAsync(grace))
                KillTree();
        }
        if (!await WaitForExitAsync(KillTimeout))
            throw new TimeoutException($"Process {Id} ({FileName}) did not exit within {KillTimeout.TotalSeconds:0} s of SIGKILL.");
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

    private static void KillAllOnHostExit()
    {
        foreach (var child in Running.Keys)
            child.KillTree();
    }

    private async Task<int> WaitForExitAndOutputAsync()
    {
        await _processExited.Task;
        var outputClosed = Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task);
        await Task.WhenAny(outputClosed, Task.Delay(OutputDrainTimeout));
        return _exitCode;
    }
}
