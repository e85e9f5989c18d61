using System.Net;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.Servers;

namespace Binko.Tests.Health;

/// <summary>The services as real processes, as the AppHost and container platforms run them.</summary>
public sealed class GracefulShutdownTests(TestInfrastructure infrastructure)
{
    public static TheoryData<string> Services => new(ServiceProjects.Api, ServiceProjects.GenerationWorker);

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Service_shuts_down_cleanly_on_SIGTERM(string service)
    {
        var port = FreePort.Get();
        var settings = ServiceSettings.For(infrastructure, await infrastructure.CreateMigratedDatabaseAsync());
        await using var process = ServiceProjects.Start(service, settings, port);
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
