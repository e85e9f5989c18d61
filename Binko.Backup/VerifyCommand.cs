namespace Binko.Backup;

/// <summary>
/// <c>verify DUMP_FILE</c>: restores the dump into a scratch database on the same server, reads the migration id and
/// the row count of every table there, compares them with the manifest beside the dump, and drops the scratch database.
/// </summary>
public static class VerifyCommand
{
    public static async Task<int> RunAsync(ToolArguments arguments, Func<string, string?> environment, TextWriter output,
        CancellationToken cancellationToken)
    {
        var dumpFile = Path.GetFullPath(arguments.DumpFile!);
        if (!File.Exists(dumpFile))
            throw new ToolException($"the dump file {dumpFile} does not exist");
        var manifest = await BackupManifest.ReadAsync(BackupManifest.PathFor(dumpFile), cancellationToken);
        var server = ServerConnection.Resolve(arguments.Connection, environment);
        var tools = PostgresClientTools.Locate(arguments.PgBin, environment);
        return await RunAsync(dumpFile, manifest, server, tools, output, cancellationToken);
    }

    /// <summary>Verifies a dump with its manifest; also the last step of a backup.</summary>
    public static async Task<int> RunAsync(string dumpFile, BackupManifest manifest, ServerConnection server, PostgresClientTools tools,
        TextWriter output, CancellationToken cancellationToken)
    {
        await RequireRestoreCanReadAsync(manifest, tools, cancellationToken);

        var scratch = new ScratchDatabase(server, output);
        try
        {
            await scratch.CreateAsync(cancellationToken);
            output.WriteLine($"verify: restoring {Path.GetFileName(dumpFile)} into the scratch database {scratch.Name}");
            var restore = await ExternalProgram.RunAsync(tools.PgRestore,
                ["--no-owner", "--exit-on-error", .. server.ClientArguments(scratch.Name), dumpFile],
                server.ClientEnvironment(), cancellationToken);
            if (restore.ExitCode != 0)
            {
                output.WriteLine($"verify: FAILED: pg_restore exited with code {restore.ExitCode}:");
                output.WriteLine(restore.ErrorSummary());
                return ExitCodes.Different;
            }

            DatabaseCensus restored;
            await using (var connection = await server.OpenAsync(cancellationToken, scratch.Name))
                restored = await DatabaseCensus.TakeAsync(connection, cancellationToken);

            var comparison = CensusComparison.Compare(manifest, restored);
            comparison.WriteTable(output);
            var differences = comparison.Differences;
            if (differences.Count > 0)
            {
                output.WriteLine($"verify: FAILED: {differences.Count} difference(s) from the manifest: " +
                    string.Join(", ", differences.Select(item => item.Name)));
                return ExitCodes.Different;
            }
            output.WriteLine($"verify: OK: the restore has migration {manifest.MigrationId ?? "(none)"} and the row counts of " +
                $"all {manifest.Tables.Count} tables ({manifest.Tables.Values.Sum()} rows)");
            return ExitCodes.Verified;
        }
        finally
        {
            await scratch.DropAsync();
        }
    }

    /// <summary>A pg_restore older than the pg_dump that wrote the archive may not read it: say so, rather than
    /// report a failed restore.</summary>
    private static async Task RequireRestoreCanReadAsync(BackupManifest manifest, PostgresClientTools tools, CancellationToken cancellationToken)
    {
        var (restoreRelease, _) = await PostgresClientTools.VersionAsync(tools.PgRestore, cancellationToken);
        if (PostgresClientTools.TryParseRelease(manifest.PgDumpVersion, out var dumpRelease) && restoreRelease < dumpRelease)
        {
            throw new ToolException($"pg_restore {PostgresClientTools.Describe(restoreRelease)} ({tools.PgRestore}) is older than the pg_dump " +
                $"{PostgresClientTools.Describe(dumpRelease)} that wrote the dump: pass --pg-bin with PostgreSQL {PostgresClientTools.Describe(dumpRelease)} or newer");
        }
    }
}
