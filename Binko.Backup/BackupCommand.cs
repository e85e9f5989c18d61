using System.Data;
using System.Globalization;
using Npgsql;

namespace Binko.Backup;

/// <summary>
/// <c>backup [--out DIR]</c>: in one REPEATABLE READ snapshot, reads the migration id and every table's row count and
/// has pg_dump dump exactly that snapshot (<c>--snapshot</c>), so the manifest describes the dump even while the
/// services keep writing. Then verifies the dump.
/// </summary>
public static class BackupCommand
{
    public static async Task<int> RunAsync(ToolArguments arguments, Func<string, string?> environment, TextWriter output,
        CancellationToken cancellationToken)
    {
        var server = ServerConnection.Resolve(arguments.Connection, environment);
        var tools = PostgresClientTools.Locate(arguments.PgBin, environment);
        var outputDirectory = Path.GetFullPath(arguments.OutputDirectory ?? ".");

        var (dumpRelease, dumpVersion) = await PostgresClientTools.VersionAsync(tools.PgDump, cancellationToken);
        await using var connection = await server.OpenAsync(cancellationToken);
        var serverRelease = PostgresClientTools.ReleaseOf(connection.PostgreSqlVersion);
        if (dumpRelease < serverRelease)
        {
            throw new ToolException($"pg_dump {PostgresClientTools.Describe(dumpRelease)} ({tools.PgDump}) cannot dump a PostgreSQL " +
                $"{PostgresClientTools.Describe(serverRelease)} server: pass --pg-bin with PostgreSQL {PostgresClientTools.Describe(serverRelease)} or newer");
        }

        Directory.CreateDirectory(outputDirectory);
        var createdAt = DateTimeOffset.UtcNow;
        var name = $"{server.Database}-{createdAt.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        var dumpFile = Path.Combine(outputDirectory, name + ".dump");
        var manifestFile = BackupManifest.PathFor(dumpFile);
        if (File.Exists(manifestFile))
            throw new ToolException($"{manifestFile} already exists");

        output.WriteLine($"backup: dumping {server.Description} to {dumpFile}");
        BackupManifest manifest;
        await using (var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken))
        {
            var snapshotId = await ExportReadOnlySnapshotAsync(connection, cancellationToken);
            var census = await DatabaseCensus.TakeAsync(connection, cancellationToken);
            await DumpAsync(tools, server, snapshotId, dumpFile, cancellationToken);
            manifest = new BackupManifest(server.Database, Path.GetFileName(dumpFile), createdAt, connection.ServerVersion,
                dumpVersion, census.MigrationId, census.Tables);
            await manifest.WriteAsync(manifestFile, cancellationToken);
            await snapshot.CommitAsync(cancellationToken);
        }

        output.WriteLine($"backup: wrote {Path.GetFileName(dumpFile)} ({new FileInfo(dumpFile).Length} bytes) and {Path.GetFileName(manifestFile)}: " +
            $"migration {manifest.MigrationId ?? "(none)"}, {manifest.Tables.Count} tables, {manifest.Tables.Values.Sum()} rows");
        if (manifest.MigrationId != ExpectedMigration.Id)
            output.WriteLine($"backup: note: this build of Binko expects migration {ExpectedMigration.Id ?? "(none)"}");
        return await VerifyCommand.RunAsync(dumpFile, manifest, server, tools, output, cancellationToken);
    }

    /// <summary>Read-only, so the backup cannot change what it backs up; the snapshot stays valid while the
    /// transaction is open, which it is until pg_dump has finished.</summary>
    private static async Task<string> ExportReadOnlySnapshotAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection))
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        await using var export = new NpgsqlCommand("SELECT pg_export_snapshot()", connection);
        return (string)(await export.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task DumpAsync(PostgresClientTools tools, ServerConnection server, string snapshotId, string dumpFile,
        CancellationToken cancellationToken)
    {
        // Private (0600) before pg_dump writes into it: it holds every user's data.
        using (PrivateFile.CreateNew(dumpFile)) { }
        var completed = false;
        try
        {
            var dump = await ExternalProgram.RunAsync(tools.PgDump,
                ["--format=custom", $"--snapshot={snapshotId}", $"--file={dumpFile}", .. server.ClientArguments(server.Database)],
                server.ClientEnvironment(), cancellationToken);
            if (dump.ExitCode != 0)
                throw new ToolException($"pg_dump exited with code {dump.ExitCode}: {dump.ErrorSummary(1)}");
            completed = true;
        }
        finally
        {
            // A partial dump must not look like a backup.
            if (!completed)
                File.Delete(dumpFile);
        }
    }
}
