using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.Servers;

namespace Binko.Tests.Protection;

/// <summary>The built API as a real process in Production, as a container platform starts it.</summary>
public sealed class ProductionStartupTests(TestInfrastructure infrastructure)
{
    public static TheoryData<string, string?, string> BrokenSettings => new()
    {
        { "ConnectionStrings:binkodb", "", "ConnectionStrings:binkodb" },
        { "ConnectionStrings:binkodb", "Host=127.0.0.1;NoSuchKeyword=1", "ConnectionStrings:binkodb" },
        { "ConnectionStrings:redis", "", "ConnectionStrings:redis" },
        { "ConnectionStrings:redis", "127.0.0.1:6379,nosuchoption=1", "ConnectionStrings:redis" },
        { "Authentication:Schemes:Bearer:ValidIssuer", null, "Authentication:Schemes:Bearer:ValidIssuer" },
        { "Authentication:Schemes:Bearer:ValidAudiences:0", null, "Authentication:Schemes:Bearer:ValidAudiences" },
        { "Authentication:Schemes:Bearer:SigningKeys:0:Value", null, "Authentication:Schemes:Bearer:SigningKeys" },
        { "Cors:AllowedOrigins:0", "*", "Cors:AllowedOrigins" },
    };

    [Theory]
    [MemberData(nameof(BrokenSettings))]
    public async Task Production_start_with_a_missing_or_malformed_setting_exits_non_zero_naming_it(string setting, string? value, string named)
    {
        var settings = ServiceSettings.For(infrastructure, await infrastructure.CreateMigratedDatabaseAsync());
        if (value is null)
        {
            settings.Remove(setting);
            if (setting.EndsWith(":Value", StringComparison.Ordinal))
                settings.Remove(setting.Replace(":Value", ":Issuer"));
        }
        else
        {
            settings[setting] = value;
        }
        settings["ASPNETCORE_ENVIRONMENT"] = "Production";

        await using var process = ServiceProjects.Start(ServiceProjects.Api, settings, FreePort.Get());

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken),
            $"The API kept running without {setting}");
        Assert.NotEqual(0, process.ExitCode);
        var output = string.Join('\n', process.GetRecentOutput());
        Assert.Contains(named, output);
        if (value is { Length: > 0 } && setting.StartsWith("ConnectionStrings", StringComparison.Ordinal))
            Assert.DoesNotContain(value, output);
    }
}
