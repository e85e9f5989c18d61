using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Binko.Tests.Infrastructure;

namespace Binko.Tests.AppHost;

/// <summary>Stopping the AppHost (what Ctrl+C and SIGTERM do), and starting it again on the same data directory.</summary>
[Collection(AppHostCollection.Name)]
public sealed class AppHostLifecycleTests : IDisposable
{
    private readonly string _dataDirectory = BinkoAppHost.NewDataDirectory();

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dataDirectory)!, recursive: true);

    [Fact]
    public async Task Stop_is_ordered_and_clean_and_the_next_run_finds_the_cluster_and_its_data()
    {
        var ct = TestContext.Current.CancellationToken;
        string generationPath;
        await using (var first = await BinkoAppHost.StartAsync(_dataDirectory, ct))
        {
            generationPath = await QueueGenerationAsync(first, ct);
            await AssertStopIsOrderedAndCleanAsync(first, ct);
        }

        List<int> processes;
        await using (var second = await BinkoAppHost.StartAsync(_dataDirectory, ct))
        {
            // initdb does not run again: the cluster, and the password it was created with, are in the data directory.
            Assert.Empty(second.Instances("postgres-init"));
            using var api = second.App.CreateHttpClient("api");
            using var generation = JsonDocument.Parse(await api.GetStringAsync(generationPath + "?wait=10", ct));
            Assert.Equal("completed", generation.RootElement.GetProperty("status").GetString());
            processes = RunProcesses(second);
        }

        Assert.All(processes, pid => Assert.False(ProcessTable.IsAlive(pid), $"process {pid} of the run is still running"));
        Assert.Empty(ProcessTable.CommandLinesContaining(_dataDirectory));
    }

    /// <summary>Queues a generation as a guest; returns its path (the next run gives the api another port).</summary>
    private static async Task<string> QueueGenerationAsync(BinkoAppHost host, CancellationToken ct)
    {
        using var api = host.App.CreateHttpClient("api");
        using var queued = await api.PostAsJsonAsync("/api/v1/generations",
            new { profile = new { experience_level = "beginner", skills = new[] { "go" } }, num_ideas = 2 }, ct);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        return new Uri(api.BaseAddress!, queued.Headers.Location!).AbsolutePath;
    }

    private static async Task AssertStopIsOrderedAndCleanAsync(BinkoAppHost host, CancellationToken ct)
    {
        await host.StopAsync(ct);

        var servers = new[] { host.Single("postgres"), host.Single("redis") };
        foreach (var project in new[] { host.Single("api"), host.Single("generation-worker") })
        {
            // Their own graceful shutdown, not a kill.
            Assert.Equal(0, project.ExitCode);
            Assert.All(servers, server => Assert.True(project.StopTimeStamp <= server.StopTimeStamp, "a server stopped before a project using it"));
        }
        Assert.All(servers, server => Assert.Equal(0, server.ExitCode));
        Assert.Contains(host.Output("postgres"), line => line.Contains("database system is shut down", StringComparison.Ordinal));
    }

    /// <summary>The processes DCP tracks, what `dotnet run` started for each project, and DCP itself (it watches this process).</summary>
    private static List<int> RunProcesses(BinkoAppHost host)
    {
        List<int> tracked = [.. new[] { "postgres", "redis", "api", "generation-worker", "aspire-dashboard" }.Select(r => BinkoAppHost.Pid(host.Single(r)))];
        return [.. tracked, .. tracked.SelectMany(ProcessTable.ChildrenOf), .. ProcessTable.WithCommandLineContaining($"--monitor {Environment.ProcessId}")];
    }
}
