using Binko.Tests.Infrastructure.FakeLlm;

namespace Binko.Tests.AppHost;

/// <summary>One run of the whole AppHost, shared by the tests that only look at it, with an LLM configured as a user
/// configures one (<c>ConnectionStrings:llm</c>): the fake one in this process.</summary>
public sealed class RunningBinko : IAsyncLifetime
{
    /// <summary>Set in this process's environment before the start: the AppHost's environment must reach the projects.</summary>
    public const string InheritedSetting = "Binko__Tests__FromTheAppHostEnvironment";

    public string InheritedValue { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The key in the LLM's connection string: the worker's, and no one else's.</summary>
    public string LlmKey { get; } = $"sk-{Guid.NewGuid():N}";

    public string LlmConnectionString => $"Endpoint={Llm.BaseAddress}v1;Key={LlmKey};Model={Llm.Model}";

    internal FakeLlmServer Llm { get; private set; } = null!;

    internal BinkoAppHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Environment.SetEnvironmentVariable(InheritedSetting, InheritedValue);
        Llm = await FakeLlmServer.StartAsync();
        Host = await BinkoAppHost.StartAsync(BinkoAppHost.NewDataDirectory(), CancellationToken.None,
            $"--ConnectionStrings:llm={LlmConnectionString}");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Llm.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(Host.DataDirectory)!, recursive: true);
    }
}
