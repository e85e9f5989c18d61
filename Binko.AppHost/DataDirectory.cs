using System.Text.Json;
using Binko.AppHost.Postgres;
using Microsoft.Extensions.Configuration;

namespace Binko.AppHost;

/// <summary>
/// Run mode's persistent state, <c>AppHost:DataDirectory</c>: postgres/ (the database cluster), redis/ (redis-server's
/// RDB and AOF files) and parameters.json (mode 0600: the passwords generated on the first run, so that later runs
/// find the same cluster). Tests point it at a fresh temporary directory.
/// </summary>
public sealed class DataDirectory
{
    public const string ConfigurationKey = "AppHost:DataDirectory";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    /// <summary>One for the process: AddLocalPostgres and AddLocalRedis each open the directory, and Aspire may resolve
    /// their passwords at the same time; two read-modify-writes of parameters.json must not lose one of them.</summary>
    private static readonly Lock ParametersLock = new();

    private DataDirectory(string path) => Path = path;

    public string Path { get; }
    public string Postgres => System.IO.Path.Combine(Path, "postgres");
    public string Redis => System.IO.Path.Combine(Path, "redis");
    private string ParametersFile => System.IO.Path.Combine(Path, "parameters.json");

    /// <summary>
    /// The directory <c>AppHost:DataDirectory</c> names (default <c>~/.binko</c>, or <c>/var/lib/binko</c> as root, whose
    /// home the 'postgres' account cannot enter), created when missing and proved writable.
    /// </summary>
    public static DataDirectory Open(IConfiguration configuration)
    {
        var path = Resolve(configuration[ConfigurationKey]);
        try
        {
            // Private to its owner (0700). As root, the 'postgres' account that runs the server must pass through to
            // postgres/ (which it owns): 0711, it still cannot list it.
            var traverse = PostgresRunAs.IsRoot ? UnixFileMode.GroupExecute | UnixFileMode.OtherExecute : UnixFileMode.None;
            var directory = Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | traverse);
            directory.UnixFileMode |= traverse;
            var probe = System.IO.Path.Combine(path, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DistributedApplicationException(
                $"The data directory {path} cannot be written ({ex.Message}). Set {ConfigurationKey} to a writable directory, " +
                $"e.g. --{ConfigurationKey}=/tmp/binko.", ex);
        }
        return new DataDirectory(path);
    }

    /// <summary>The value kept under <paramref name="name"/> in parameters.json; a new one from <paramref name="generate"/>, saved, when there is none.</summary>
    public string GetOrCreateParameter(string name, Func<string> generate)
    {
        lock (ParametersLock)
        {
            var saved = LoadParameters();
            if (saved.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value))
                return value;
            saved[name] = value = generate();
            PrivateFile.Replace(ParametersFile, stream => JsonSerializer.Serialize(stream, saved, Indented));
            return value;
        }
    }

    private static string Resolve(string? configured)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrWhiteSpace(configured))
            return PostgresRunAs.IsRoot ? "/var/lib/binko" : System.IO.Path.Combine(home, ".binko");
        if (configured.StartsWith("~/", StringComparison.Ordinal))
            configured = System.IO.Path.Combine(home, configured[2..]);
        return System.IO.Path.GetFullPath(configured);
    }

    private Dictionary<string, string> LoadParameters()
    {
        if (!File.Exists(ParametersFile))
            return new(StringComparer.Ordinal);
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(ParametersFile)) ?? new(StringComparer.Ordinal);
        }
        catch (JsonException ex)
        {
            throw new DistributedApplicationException(
                $"{ParametersFile} is not valid JSON ({ex.Message}). Fix it, or delete it together with the data directory's postgres/ folder.", ex);
        }
    }
}
