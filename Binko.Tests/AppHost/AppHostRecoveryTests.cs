using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Binko.AppHost.Hosting.Processes;
using Binko.AppHost.Testing;
using Binko.Tests.Infrastructure;
using AppHostProgram = Binko.AppHost.Program;

namespace Binko.Tests.AppHost;

/// <summary>An AppHost that is killed outright cannot stop its children; the next run with that data directory does.</summary>
public sealed partial class AppHostRecoveryTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("binko-apphost-recovery-test-");

    public AppHostRecoveryTests()
    {
        // As root, Postgres runs as the 'postgres' account, which must be able to enter the directory.
        if (!OperatingSystem.IsWindows())
            _directory.UnixFileMode |= UnixFileMode.OtherExecute;
    }

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Next_run_stops_what_a_killed_apphost_left_running()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Deadline);
        var dataDirectory = Path.Combine(_directory.FullName, "data");

        var dashboard = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var killed = ChildProcess.Start(new ChildProcessOptions
        {
            FileName = Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet",
            Arguments =
            [
                typeof(AppHostProgram).Assembly.Location,
                $"--AppHost:DataDirectory={dataDirectory}", "--AppHost:Durable=false", "--AppHost:EchoOutput=false",
                "--Ports:Api=0", "--Ports:Dashboard=0",
            ],
            Output = line =>
            {
                if (DashboardLine().Match(line) is { Success: true } match)
                    dashboard.TrySetResult(new Uri(match.Groups[1].Value));
            },
        });
        List<int> leftovers;
        try
        {
            var dashboardUrl = await dashboard.Task.WaitAsync(deadline.Token);
            using var http = new HttpClient { BaseAddress = dashboardUrl };
            var resources = await http.GetFromJsonAsync<JsonElement>("api/resources", deadline.Token);
            leftovers = [.. resources.EnumerateArray()
                .Where(r => r.GetProperty("processId").ValueKind == JsonValueKind.Number)
                .Select(r => r.GetProperty("processId").GetInt32())];
            Assert.NotEmpty(leftovers);
        }
        finally
        {
            killed.SendSignal(Signal.SIGKILL);
        }
        Assert.True(await killed.WaitForExitAsync(TimeSpan.FromSeconds(10), deadline.Token));
        Assert.Contains(leftovers, ProcessTable.IsAlive);

        var builder = DistributedApplicationTestingBuilder.Create(AppHostProgram.CreateBuilder, $"--AppHost:DataDirectory={dataDirectory}");
        await using (var app = builder.Build())
        {
            await app.StartAsync(deadline.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("generation-worker", deadline.Token);

            Assert.All(leftovers, pid => Assert.False(ProcessTable.IsAlive(pid), $"process {pid} of the killed AppHost still runs"));
        }
        Assert.Empty(ProcessTable.CommandLinesContaining(dataDirectory));
    }

    [GeneratedRegex(@"^\s+dashboard\s+(http://\S+)")]
    private static partial Regex DashboardLine();
}
