using Binko.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Binko.Tests.ServiceDefaults;

public sealed class StartupConfigurationTests(TestInfrastructure infrastructure)
{
    [Theory]
    [InlineData("ConnectionStrings:binkodb")]
    [InlineData("ConnectionStrings:redis")]
    public async Task A_missing_connection_string_stops_start_up_with_a_message_naming_it(string setting)
    {
        var settings = ServiceSettings.For(infrastructure, await infrastructure.CreateMigratedDatabaseAsync());
        settings[setting] = "";
        await using var api = new ApiFactory(settings);

        var failure = Assert.Throws<InvalidOperationException>(() => api.CreateClient());

        Assert.Contains($"'{setting}' is missing", failure.Message);
    }

    [Theory]
    [InlineData("Development", ConsoleFormatterNames.Simple)]
    [InlineData("Production", ConsoleFormatterNames.Json)]
    public async Task Console_logs_are_json_outside_development(string environment, string formatter)
    {
        var settings = ServiceSettings.For(infrastructure, await infrastructure.CreateMigratedDatabaseAsync());
        settings["environment"] = environment;
        await using var api = new ApiFactory(settings);

        var console = api.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;

        Assert.Equal(formatter, console.FormatterName);
    }
}
