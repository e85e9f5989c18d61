using System.ComponentModel;
using System.Diagnostics;

namespace Binko.Backup;

/// <summary>What a program printed and how it ended.</summary>
public sealed record ProgramResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The last lines of its error output, for a one-glance message.</summary>
    public string ErrorSummary(int lines = 5) =>
        string.Join(Environment.NewLine, StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines));
}

/// <summary>Runs pg_dump, pg_restore and friends: arguments as a list (no shell), extra environment for the child
/// only, and the child killed when the operation is cancelled.</summary>
public static class ExternalProgram
{
    public static async Task<ProgramResult> RunAsync(string fileName, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
        {
            if (value is null)
                startInfo.Environment.Remove(name);
            else
                startInfo.Environment[name] = value;
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new ToolException($"could not start {fileName}: {ex.Message}", ex);
        }
        process.StandardInput.Close();

        // Read both streams to their end, or a chatty child would block on a full pipe.
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }
        // Ctrl+C in a terminal reaches the child too, which may end before the cancellation is seen: an interruption,
        // not a failed dump or restore.
        cancellationToken.ThrowIfCancellationRequested();
        return new ProgramResult(process.ExitCode, await output, await errors);
    }
}
