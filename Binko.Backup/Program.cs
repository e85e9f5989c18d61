using System.Runtime.InteropServices;
using Npgsql;

namespace Binko.Backup;

/// <summary>
/// The operator's backup command: <c>backup</c> dumps binkodb with a manifest and verifies the dump; <c>verify</c>
/// restores a dump into a scratch database and compares it with its manifest. See the README's "Backups".
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Ctrl+C and SIGTERM cancel the work instead of killing the process, so the scratch database is dropped.
        using var interrupted = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        return await RunAsync(args, Console.Out, interrupted.Token);

        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupted.Cancel();
        }
    }

    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken) =>
        RunAsync(args, output, Environment.GetEnvironmentVariable, cancellationToken);

    /// <summary>Runs one command; <paramref name="environment"/> supplies ConnectionStrings__binkodb, PG_BIN and PATH.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, Func<string, string?> environment,
        CancellationToken cancellationToken)
    {
        try
        {
            var arguments = ToolArguments.Parse(args);
            switch (arguments.Command)
            {
                case ToolArguments.Backup:
                    return await BackupCommand.RunAsync(arguments, environment, output, cancellationToken);
                case ToolArguments.Verify:
                    return await VerifyCommand.RunAsync(arguments, environment, output, cancellationToken);
                default:
                    output.WriteLine(ToolArguments.Usage);
                    return ExitCodes.Verified;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (ToolException ex)
        {
            return Fail(output, ex.Message);
        }
        catch (PostgresException ex)
        {
            // Authentication failed, missing privilege: the server's own words (not Message, which adds lines of detail).
            return Fail(output, $"database: {ex.SqlState}: {ex.MessageText}");
        }
        catch (NpgsqlException ex)
        {
            // Connection refused, timeout: Npgsql's message names the cause, not the password.
            return Fail(output, $"database: {ex.Message.ReplaceLineEndings(" ")}");
        }
        catch (IOException ex)
        {
            return Fail(output, ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            return Fail(output, ex.Message);
        }
    }

    private static int Fail(TextWriter output, string message)
    {
        output.WriteLine($"error: {message}");
        return ExitCodes.UsageOrToolError;
    }
}
