using Npgsql;

namespace Binko.Backup;

/// <summary>
/// What a backup must reproduce: the last EF Core migration applied, and the exact row count of every table in the
/// database's own schemas, found in the catalog (so a table added by a later migration is counted without a change
/// here). Tables that belong to an extension are left out, as pg_dump leaves out their rows.
/// </summary>
public sealed record DatabaseCensus(string? MigrationId, IReadOnlyDictionary<string, long> Tables)
{
    public const string MigrationsHistoryTable = "__EFMigrationsHistory";

    private const string TablesSql = """
        SELECT n.nspname, c.relname
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r'
          AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                          WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        ORDER BY 1, 2
        """;

    /// <summary>Counts in the connection's current transaction: inside a backup's snapshot, what pg_dump sees.</summary>
    public static async Task<DatabaseCensus> TakeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = new List<(string Schema, string Name)>();
        await using (var command = new NpgsqlCommand(TablesSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                tables.Add((reader.GetString(0), reader.GetString(1)));
        }

        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (tables.Count > 0)
        {
            await using var batch = new NpgsqlBatch(connection);
            foreach (var (schema, name) in tables)
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT count(*) FROM {Quote(schema)}.{Quote(name)}"));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            foreach (var (schema, name) in tables)
            {
                await reader.ReadAsync(cancellationToken);
                counts[QualifiedName(schema, name)] = reader.GetInt64(0);
                await reader.NextResultAsync(cancellationToken);
            }
        }

        return new DatabaseCensus(await LastMigrationAsync(connection, tables, cancellationToken), counts);
    }

    public static string QualifiedName(string schema, string name) => $"{schema}.{name}";

    /// <summary>The highest migration id (EF Core's ids start with their UTC creation time), or null without a history
    /// table. Its column is "MigrationId", or "migration_id" where a naming convention renamed it (Binko's snake_case does).</summary>
    private static async Task<string?> LastMigrationAsync(NpgsqlConnection connection, List<(string Schema, string Name)> tables,
        CancellationToken cancellationToken)
    {
        var history = tables.Where(table => table.Name == MigrationsHistoryTable)
            .OrderBy(table => table.Schema == "public" ? 0 : 1)
            .Select(table => QualifiedName(Quote(table.Schema), Quote(table.Name)))
            .FirstOrDefault();
        if (history is null)
            return null;

        string? column;
        await using (var find = new NpgsqlCommand("""
            SELECT attname FROM pg_catalog.pg_attribute
            WHERE attrelid = $1::regclass AND attname IN ('MigrationId', 'migration_id') AND NOT attisdropped
            ORDER BY attname = 'MigrationId' DESC LIMIT 1
            """, connection))
        {
            find.Parameters.Add(new NpgsqlParameter { Value = history });
            column = await find.ExecuteScalarAsync(cancellationToken) as string;
        }
        if (column is null)
            return null;
        await using var last = new NpgsqlCommand($"SELECT {Quote(column)} FROM {history} ORDER BY 1 DESC LIMIT 1", connection);
        return await last.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
