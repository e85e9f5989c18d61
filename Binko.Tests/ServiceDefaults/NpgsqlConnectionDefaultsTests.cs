using Binko.ServiceDefaults.Clients;
using Npgsql;

namespace Binko.Tests.ServiceDefaults;

public sealed class NpgsqlConnectionDefaultsTests
{
    [Fact]
    public void A_connection_string_without_Max_Auto_Prepare_gets_Binkos_default_and_keeps_the_rest()
    {
        var applied = new NpgsqlConnectionStringBuilder(
            NpgsqlConnectionDefaults.Apply("Host=127.0.0.1;Port=5432;Username=binko;Password=secret;Database=binkodb"));

        Assert.Equal(NpgsqlConnectionDefaults.MaxAutoPrepare, applied.MaxAutoPrepare);
        Assert.Equal(("127.0.0.1", 5432, "binko", "secret", "binkodb"),
            (applied.Host, applied.Port, applied.Username, applied.Password, applied.Database));
    }

    [Theory]
    [InlineData("Max Auto Prepare=0", 0)]
    [InlineData("MaxAutoPrepare=7", 7)]
    [InlineData("max auto prepare=12", 12)]
    public void The_connection_strings_own_Max_Auto_Prepare_wins(string setting, int expected)
    {
        var applied = new NpgsqlConnectionStringBuilder(NpgsqlConnectionDefaults.Apply($"Host=127.0.0.1;{setting}"));

        Assert.Equal(expected, applied.MaxAutoPrepare);
    }
}
