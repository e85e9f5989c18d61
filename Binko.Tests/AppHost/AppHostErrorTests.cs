using System.Net;
using System.Net.Sockets;
using Binko.AppHost.Hosting.Processes;
using Binko.AppHost.Testing;
using AppHostProgram = Binko.AppHost.Program;

namespace Binko.Tests.AppHost;

/// <summary>Wrong settings give one clear error line and a non-zero exit code, and start nothing.</summary>
public sealed class AppHostErrorTests : IDisposable
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("binko-apphost-error-test-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Api_port_in_use_fails_with_one_line_naming_the_port()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var busyPort = ((IPEndPoint)listener.LocalEndpoint).Port;

        // As a user runs it: the AppHost's own entry point in its own process, so stderr and the exit code are real.
        var lines = new List<string>();
        await using var apphost = ChildProcess.Start(new ChildProcessOptions
        {
            FileName = Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet",
            Arguments =
            [
                typeof(AppHostProgram).Assembly.Location,
                $"--Ports:Api={busyPort}",
                "--Ports:Dashboard=0",
                $"--AppHost:DataDirectory={Path.Combine(_directory.FullName, "data")}",
            ],
            Output = line => { lock (lines) lines.Add(line); },
        });
        var exited = await apphost.WaitForExitAsync(ExitDeadline, TestContext.Current.CancellationToken);

        Assert.True(exited, "the AppHost kept running although its port is taken");
        var exitCode = await apphost.Exited;
        string[] output;
        lock (lines)
            output = [.. lines];
        Assert.NotEqual(0, exitCode);
        var error = Assert.Single(output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains($"Port {busyPort}", error, StringComparison.Ordinal);
        Assert.Contains("Ports:Api", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unwritable_data_directory_fails_with_one_line_naming_it()
    {
        // A regular file where a directory should be: not writable as a directory, whoever runs the test (even root).
        var blocker = Path.Combine(_directory.FullName, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "", TestContext.Current.CancellationToken);
        var dataDirectory = Path.Combine(blocker, "data");
        var builder = DistributedApplicationTestingBuilder.Create(AppHostProgram.CreateBuilder, $"--AppHost:DataDirectory={dataDirectory}");
        var error = new StringWriter();
        builder.Error = error;
        builder.Output = TextWriter.Null;
        await using var app = builder.Build();

        var exitCode = await app.RunAsync(TestContext.Current.CancellationToken);

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(dataDirectory, line, StringComparison.Ordinal);
        Assert.Contains("AppHost:DataDirectory", line, StringComparison.Ordinal);
        Assert.All(app.GetResourceSnapshots(), s => Assert.Null(s.ProcessId));
    }
}
