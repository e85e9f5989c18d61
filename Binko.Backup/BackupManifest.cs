using System.Text.Json;
using System.Text.Json.Serialization;

namespace Binko.Backup;

/// <summary>
/// What the database held when it was dumped, written beside the dump as <c>&lt;name&gt;.manifest.json</c>: its
/// last migration and the row count of every table ("schema.table"), read in the very snapshot pg_dump dumped.
/// </summary>
public sealed record BackupManifest(
    string Database,
    string DumpFile,
    DateTimeOffset CreatedAt,
    string ServerVersion,
    string PgDumpVersion,
    string? MigrationId,
    IReadOnlyDictionary<string, long> Tables)
{
    private const string DumpExtension = ".dump";
    private const string ManifestExtension = ".manifest.json";

    /// <summary><c>x.dump</c> → <c>x.manifest.json</c>; any other name gets <c>.manifest.json</c> appended.</summary>
    public static string PathFor(string dumpFile) =>
        (dumpFile.EndsWith(DumpExtension, StringComparison.Ordinal) ? dumpFile[..^DumpExtension.Length] : dumpFile) + ManifestExtension;

    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = PrivateFile.CreateNew(path);
        await JsonSerializer.SerializeAsync(stream, this, BackupManifestJson.Default.BackupManifest, cancellationToken);
    }

    public static async Task<BackupManifest> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new ToolException($"no manifest beside the dump: {path} does not exist");
        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, BackupManifestJson.Default.BackupManifest, cancellationToken)
                ?? throw new ToolException($"{path} is not a backup manifest: it holds null");
        }
        catch (JsonException ex)
        {
            throw new ToolException($"{path} is not a backup manifest: {ex.Message}", ex);
        }
    }
}

/// <summary>snake_case like the API's JSON; every property required and non-null where the record says so.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(BackupManifest))]
internal sealed partial class BackupManifestJson : JsonSerializerContext;
