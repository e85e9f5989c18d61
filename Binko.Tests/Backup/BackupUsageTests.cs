using Binko.Backup;

namespace Binko.Tests.Backup;

/// <summary>Usage and tool errors: exit code 2 and one line that says what to do, before any database is touched.</summary>
public sealed class BackupUsageTests
{
    [Fact]
    public async Task Backup_without_a_connection_string_exits_with_2_and_names_the_setting()
    {
        var (exitCode, output) = await BackupTool.RunAsync(["backup", "--pg-bin", BackupTool.PgBin]);

        Assert.Equal(ExitCodes.UsageOrToolError, exitCode);
        var message = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: no connection string", message);
        Assert.Contains("ConnectionStrings__binkodb", message);
    }

    [Fact]
    public async Task Backup_without_pg_dump_exits_with_2_and_names_the_directory()
    {
        var empty = Directory.CreateTempSubdirectory("binko-no-pg-bin-").FullName;
        try
        {
            var (exitCode, output) = await BackupTool.RunAsync(
                ["backup", "--connection", "Host=127.0.0.1;Port=1;Database=binkodb", "--pg-bin", empty]);

            Assert.Equal(ExitCodes.UsageOrToolError, exitCode);
            var message = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"pg_dump and pg_restore are not both in {empty}", message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_exits_with_2_without_a_stack_trace()
    {
        var (exitCode, output) = await BackupTool.RunAsync(
            ["backup", "--connection", "Host=127.0.0.1;Port=1;Database=binkodb;Password=hunter2", "--pg-bin", BackupTool.PgBin]);

        Assert.Equal(ExitCodes.UsageOrToolError, exitCode);
        var message = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: database:", message);
        Assert.DoesNotContain("hunter2", message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("restore")]
    [InlineData("verify")]
    [InlineData("backup --bogus")]
    [InlineData("verify a.dump b.dump")]
    public async Task Wrong_arguments_exit_with_2(string commandLine)
    {
        var (exitCode, output) = await BackupTool.RunAsync(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(ExitCodes.UsageOrToolError, exitCode);
        Assert.StartsWith("error: ", output);
    }
}
