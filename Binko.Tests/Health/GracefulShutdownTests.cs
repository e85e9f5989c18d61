using System.Net;
using Binko.AppHost.Hosting;
using Binko.AppHost.Hosting.Processes;
using Binko.AppHost.Hosting.Servers;
using Binko.AppHost.Projects;
using Binko.Tests.Infrastructure;

namespace Binko.Tests.Health;

/// <summary>The services as real processes, as the AppHost and container platforms run them.</summary>
public sealed class GracefulShutdownTests(TestInfrastructure infrastructure)
{
    public static TheoryData<string> Services => new(nameof(Binko_Api), nameof(Binko_GenerationWorker));

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Service_shuts_down_cleanly_on_SIGTERM(string service)
    {
        IProjectMetadata project = service == nameof(Binko_Api) ? new Binko_Api() : new Binko_GenerationWorker();
        var port = FreePort.Get();
        var environment = ServiceSettings.For(infrastructure, await infrastructure.CreateMigratedDatabaseAsync())
            .ToDictionary(setting => setting.Key.Replace(":", "__"), setting => setting.Value);
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        await using var process = ChildProcess.Start(new ChildProcessOptions
        {
            FileName = "dotnet",
            Arguments = ["exec", project.TargetPath],
            Environment = environment,
            WorkingDirectory = Path.GetDirectoryName(project.TargetPath),
            Output = ServerOutput.ToTestOutput(service),
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Eventually.ReturnsAsync(() => TryGetStatusAsync(http), status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), $"{service} to become healthy");

        Assert.True(process.SendSignal(Signal.SIGTERM));

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken),
            $"{service} did not exit within 15 s of SIGTERM");
        Assert.Equal(0, process.ExitCode);
    }

    private static async Task<HttpStatusCode?> TryGetStatusAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("/health");
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
