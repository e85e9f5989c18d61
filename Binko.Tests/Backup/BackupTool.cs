using System.Text.Json.Nodes;
using Binko.AppHost.Postgres;
using Binko.Backup;
using Binko.Tests.Infrastructure;
using Npgsql;
using BackupProgram = Binko.Backup.Program;

namespace Binko.Tests.Backup;

/// <summary>Binko.Backup run in-process, as the operator would run it, against one test database, with the test
/// server's pg_dump and pg_restore and no environment at all (so nothing from the test run's own variables leaks in).</summary>
internal sealed class BackupTool(TestInfrastructure infrastructure, string connectionString)
{
    public static readonly string PgBin = PostgresBinaries.Locate().BinDirectory;

    public string Database { get; } = new NpgsqlConnectionStringBuilder(connectionString).Database!;

    public static async Task<(int ExitCode, string Output)> RunAsync(string[] args, CancellationToken? cancellationToken = null,
        TextWriter? output = null)
    {
        output ??= new StringWriter();
        var exitCode = await BackupProgram.RunAsync(args, output, NoEnvironment, cancellationToken ?? TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine($"exit code {exitCode}:{Environment.NewLine}{output}");
        return (exitCode, output.ToString()!);
    }

    /// <summary><c>backup --out</c> a fresh directory; returns the dump file it wrote (null when it wrote none).</summary>
    public async Task<(int ExitCode, string Output, string? DumpFile)> BackupAsync()
    {
        var directory = infrastructure.CreateDirectory("backup");
        var (exitCode, output) = await RunAsync(["backup", "--out", directory, "--connection", connectionString, "--pg-bin", PgBin]);
        return (exitCode, output, Directory.GetFiles(directory, "*.dump").SingleOrDefault());
    }

    /// <summary>A backup that must succeed, for tests about verifying it.</summary>
    public async Task<string> BackupVerifiedAsync()
    {
        var (exitCode, output, dumpFile) = await BackupAsync();
        Assert.True(exitCode == ExitCodes.Verified, output);
        return dumpFile!;
    }

    public Task<(int ExitCode, string Output)> VerifyAsync(string dumpFile, CancellationToken? cancellationToken = null, TextWriter? output = null) =>
        RunAsync(["verify", dumpFile, "--connection", connectionString, "--pg-bin", PgBin], cancellationToken, output);

    public static JsonObject ReadManifest(string dumpFile) =>
        JsonNode.Parse(File.ReadAllText(BackupManifest.PathFor(dumpFile)))!.AsObject();

    public static void WriteManifest(string dumpFile, JsonObject manifest) =>
        File.WriteAllText(BackupManifest.PathFor(dumpFile), manifest.ToJsonString());

    /// <summary>The scratch databases of this test database's verifications that still exist.</summary>
    public async Task<IReadOnlyList<string>> ScratchDatabasesAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Database + "_verify_" });
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            names.Add(reader.GetString(0));
        return names;
    }

    private static string? NoEnvironment(string name) => null;
}
