using Binko.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Binko.Tests.Generation;

public sealed class WorkerStartupTests(TestInfrastructure infrastructure)
{
    [Fact]
    public async Task Production_without_an_LLM_refuses_to_start_naming_both_settings()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        var settings = harness.Settings(new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Generation:AllowOffline"] = "false",
        });
        await using var worker = new WorkerFactory(settings);

        var error = Assert.Throws<OptionsValidationException>(() => worker.Server);

        Assert.Contains("ConnectionStrings:llm", error.Message);
        Assert.Contains("Generation:AllowOffline=true", error.Message);
    }

    [Fact]
    public async Task A_malformed_LLM_connection_string_is_a_start_up_error()
    {
        await using var harness = await WorkerHarness.StartAsync(infrastructure, withLlm: false);
        await using var worker = new WorkerFactory(harness.Settings(new Dictionary<string, string?>
        {
            ["ConnectionStrings:llm"] = "Endpoint=ftp://x;Model=m",
        }));

        var error = Assert.Throws<OptionsValidationException>(() => worker.Server);

        Assert.Contains("ConnectionStrings:llm", error.Message);
    }
}
