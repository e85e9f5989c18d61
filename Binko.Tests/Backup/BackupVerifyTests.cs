using System.Text.RegularExpressions;
using Binko.Backup;
using Binko.Data;
using Binko.Data.Entities;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using GenerationEntity = Binko.Data.Entities.Generation;

namespace Binko.Tests.Backup;

public sealed partial class BackupVerifyTests(TestInfrastructure infrastructure) : IAsyncLifetime
{
    private string _connectionString = "";
    private BackupTool _tool = null!;

    public async ValueTask InitializeAsync()
    {
        _connectionString = await infrastructure.CreateMigratedDatabaseAsync();
        _tool = new BackupTool(infrastructure, _connectionString);

        // Rows in several tables besides the seeded catalog.
        await using var db = infrastructure.CreateDbContext(_connectionString);
        db.Profiles.AddRange(
            new Profile { UserId = "backup-user-1", ExperienceLevel = SkillLevel.Beginner, Skills = ["c#"], WeeklyHours = 5 },
            new Profile { UserId = "backup-user-2", ExperienceLevel = SkillLevel.Advanced, Interests = ["games"], WeeklyHours = 20 });
        db.Events.AddRange(Enumerable.Range(0, 3).Select(i => new ProductEvent
        {
            OwnerId = "user:backup-user-1",
            Name = "idea_viewed",
            SessionId = "session-1",
            OccurredAt = DateTimeOffset.UtcNow,
            ReceivedAt = DateTimeOffset.UtcNow,
            Properties = $$"""{"n": {{i}}}""",
        }));
        db.QuotaUsage.Add(new QuotaUsage { SubjectId = "user:backup-user-1", Day = DateOnly.FromDateTime(DateTime.UtcNow), Used = 2 });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Backup_records_the_migration_and_the_row_count_of_every_table_and_verifies()
    {
        var ct = TestContext.Current.CancellationToken;

        var (exitCode, output, dumpFile) = await _tool.BackupAsync();

        Assert.True(exitCode == ExitCodes.Verified, output);
        Assert.Contains("verify: OK", output);
        Assert.NotNull(dumpFile);
        var manifest = BackupTool.ReadManifest(dumpFile);
        var tables = manifest["tables"]!.AsObject();
        await using var db = infrastructure.CreateDbContext(_connectionString);
        Assert.Equal((await db.Database.GetAppliedMigrationsAsync(ct)).Last(), (string?)manifest["migration_id"]);
        Assert.Equal((await UserTablesAsync(ct)).Order(), tables.Select(table => table.Key).Order());
        Assert.Equal(await db.Ideas.LongCountAsync(ct), (long)tables[TableOf<Idea>(db)]!);
        Assert.Equal(2, (long)tables[TableOf<Profile>(db)]!);
        Assert.Equal(3, (long)tables[TableOf<ProductEvent>(db)]!);
        Assert.Equal(1, (long)tables[TableOf<QuotaUsage>(db)]!);
        Assert.Equal(await db.Profiles.LongCountAsync(ct), (long)tables[TableOf<Profile>(db)]!);
        Assert.Equal(await db.Events.LongCountAsync(ct), (long)tables[TableOf<ProductEvent>(db)]!);
        Assert.Equal(await db.QuotaUsage.LongCountAsync(ct), (long)tables[TableOf<QuotaUsage>(db)]!);
        Assert.Equal(await db.Generations.LongCountAsync(ct), (long)tables[TableOf<GenerationEntity>(db)]!);

        // Readable by their owner only; the password reaches pg_dump and pg_restore through their environment only.
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(dumpFile));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(BackupManifest.PathFor(dumpFile)));
        var password = new NpgsqlConnectionStringBuilder(_connectionString).Password!;
        Assert.DoesNotContain(password, output);
        Assert.DoesNotContain(password, File.ReadAllText(BackupManifest.PathFor(dumpFile)));
    }

    [Fact]
    public async Task Verify_restores_into_a_scratch_database_and_drops_it_afterwards()
    {
        var dumpFile = await _tool.BackupVerifiedAsync();

        var (exitCode, output) = await _tool.VerifyAsync(dumpFile);

        Assert.True(exitCode == ExitCodes.Verified, output);
        var scratch = ScratchDatabaseIn(output);
        Assert.StartsWith(_tool.Database + "_verify_", scratch);
        Assert.Contains($"dropped the scratch database {scratch}", output);
        Assert.Empty(await _tool.ScratchDatabasesAsync());
    }

    [Fact]
    public async Task Verify_fails_naming_the_table_whose_row_count_differs_from_the_manifest()
    {
        var dumpFile = await _tool.BackupVerifiedAsync();
        await using var db = infrastructure.CreateDbContext(_connectionString);
        var events = TableOf<ProductEvent>(db);
        var manifest = BackupTool.ReadManifest(dumpFile);
        manifest["tables"]![events] = (long)manifest["tables"]![events]! + 1;
        BackupTool.WriteManifest(dumpFile, manifest);

        var (exitCode, output) = await _tool.VerifyAsync(dumpFile);

        Assert.Equal(ExitCodes.Different, exitCode);
        Assert.Matches($@"(?m)^\s+{Regex.Escape(events)}\s+4\s+3\s+DIFFERENT$", output);
        Assert.Contains($"1 difference(s) from the manifest: {events}", output);
        Assert.Empty(await _tool.ScratchDatabasesAsync());
    }

    [Fact]
    public async Task Verify_fails_when_the_restore_lacks_a_table_of_the_manifest()
    {
        var dumpFile = await _tool.BackupVerifiedAsync();
        var manifest = BackupTool.ReadManifest(dumpFile);
        manifest["tables"]!["public.vanished"] = 7;
        BackupTool.WriteManifest(dumpFile, manifest);

        var (exitCode, output) = await _tool.VerifyAsync(dumpFile);

        Assert.Equal(ExitCodes.Different, exitCode);
        Assert.Matches(@"(?m)^\s+public\.vanished\s+7\s+-\s+MISSING from the restore$", output);
    }

    [Fact]
    public async Task Verify_of_a_truncated_dump_fails_and_leaves_no_scratch_database()
    {
        var dumpFile = await _tool.BackupVerifiedAsync();
        await using (var dump = new FileStream(dumpFile, FileMode.Open))
            dump.SetLength(dump.Length / 2);

        var (exitCode, output) = await _tool.VerifyAsync(dumpFile);

        Assert.Equal(ExitCodes.Different, exitCode);
        Assert.Contains("FAILED: pg_restore exited", output);
        Assert.Contains($"dropped the scratch database {ScratchDatabaseIn(output)}", output);
        Assert.Empty(await _tool.ScratchDatabasesAsync());
    }

    [Fact]
    public async Task Interrupted_verify_drops_the_scratch_database()
    {
        var dumpFile = await _tool.BackupVerifiedAsync();
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        // "Ctrl+C" as soon as the scratch database exists and the restore starts.
        var output = new CancelOnLine("restoring", interrupt);

        var (exitCode, text) = await _tool.VerifyAsync(dumpFile, interrupt.Token, output);

        Assert.Equal(ExitCodes.Interrupted, exitCode);
        Assert.Contains($"dropped the scratch database {ScratchDatabaseIn(text)}", text);
        Assert.Empty(await _tool.ScratchDatabasesAsync());
    }

    [Fact]
    public async Task Backup_with_a_pg_dump_older_than_the_server_exits_with_2_naming_both_versions()
    {
        var ct = TestContext.Current.CancellationToken;
        var bin = infrastructure.CreateDirectory("old-pg-bin");
        foreach (var program in new[] { "pg_dump", "pg_restore" })
        {
            var path = Path.Combine(bin, program);
            await File.WriteAllTextAsync(path, $"#!/bin/sh\necho '{program} (PostgreSQL) 9.6.24'\n", ct);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(ct);
        var directory = infrastructure.CreateDirectory("backup");

        var (exitCode, output) = await BackupTool.RunAsync(["backup", "--out", directory, "--connection", _connectionString, "--pg-bin", bin]);

        Assert.Equal(ExitCodes.UsageOrToolError, exitCode);
        var message = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("pg_dump 9.6", message);
        Assert.Contains($"PostgreSQL {connection.PostgreSqlVersion.Major} server", message);
        Assert.Empty(Directory.GetFiles(directory));
    }

    private async Task<IReadOnlyList<string>> UserTablesAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT table_schema || '.' || table_name FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
            """, connection);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            tables.Add(reader.GetString(0));
        return tables;
    }

    private static string TableOf<TEntity>(BinkoDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(TEntity))!;
        return $"{entity.GetSchema() ?? "public"}.{entity.GetTableName()}";
    }

    private static string ScratchDatabaseIn(string output) => ScratchDatabasePattern().Match(output).Groups["name"].Value;

    [GeneratedRegex(@"into the scratch database (?<name>\S+)")]
    private static partial Regex ScratchDatabasePattern();

    /// <summary>Output that cancels <paramref name="interrupt"/> once a line containing <paramref name="text"/> is written.</summary>
    private sealed class CancelOnLine(string text, CancellationTokenSource interrupt) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(text, StringComparison.Ordinal) == true)
                interrupt.Cancel();
        }
    }
}
