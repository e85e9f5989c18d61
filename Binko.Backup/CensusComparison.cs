using System.Globalization;

namespace Binko.Backup;

/// <summary>One line of a comparison: a table (or the migration id) as the manifest has it and as the restore has it.</summary>
public sealed record ComparedItem(string Name, string? Expected, string? Actual)
{
    public bool Matches => Expected == Actual;

    public string Status => (Expected, Actual) switch
    {
        _ when Matches => "ok",
        (not null, null) => "MISSING from the restore",
        (null, not null) => "EXTRA in the restore",
        _ => "DIFFERENT",
    };
}

/// <summary>A manifest against the census of its restore: the migration id, then every table either of them has.</summary>
public sealed class CensusComparison
{
    public const string MigrationIdItem = "(migration id)";

    private CensusComparison(IReadOnlyList<ComparedItem> items) => Items = items;

    public IReadOnlyList<ComparedItem> Items { get; }
    public IReadOnlyList<ComparedItem> Differences => [.. Items.Where(item => !item.Matches)];

    public static CensusComparison Compare(BackupManifest manifest, DatabaseCensus restored)
    {
        List<ComparedItem> items = [new(MigrationIdItem, manifest.MigrationId, restored.MigrationId)];
        var tables = manifest.Tables.Keys.Union(restored.Tables.Keys).Order(StringComparer.Ordinal);
        items.AddRange(tables.Select(table => new ComparedItem(table, Count(manifest.Tables, table), Count(restored.Tables, table))));
        return new CensusComparison(items);
    }

    /// <summary>The migration id on a line of its own (it is long), then one line per table.</summary>
    public void WriteTable(TextWriter output)
    {
        const string none = "-";
        var migration = Items[0];
        output.WriteLine($"  migration id: {migration.Expected ?? none} in the manifest, {migration.Actual ?? none} restored  {migration.Status}");

        var tables = Items.Skip(1).ToList();
        var nameWidth = tables.Select(item => item.Name.Length).Append("table".Length).Max();
        var expectedWidth = tables.Select(item => (item.Expected ?? none).Length).Append("manifest".Length).Max();
        var actualWidth = tables.Select(item => (item.Actual ?? none).Length).Append("restored".Length).Max();
        output.WriteLine($"  {"table".PadRight(nameWidth)}  {"manifest".PadLeft(expectedWidth)}  {"restored".PadLeft(actualWidth)}");
        foreach (var item in tables)
        {
            output.WriteLine($"  {item.Name.PadRight(nameWidth)}  {(item.Expected ?? none).PadLeft(expectedWidth)}  " +
                $"{(item.Actual ?? none).PadLeft(actualWidth)}  {item.Status}");
        }
    }

    private static string? Count(IReadOnlyDictionary<string, long> tables, string table) =>
        tables.TryGetValue(table, out var rows) ? rows.ToString(CultureInfo.InvariantCulture) : null;
}
