using System.Security.Cryptography;
using System.Text.Json;
using Binko.AppHost.Hosting;
using Binko.AppHost.Hosting.Servers;

namespace Binko.AppHost.Orchestration;

/// <summary>
/// The run-mode data directory: postgres/ (the server's files), redis/ (RDB and AOF) and parameters.json (0600), which
/// keeps the passwords generated on first run so that later runs find the same database.
/// </summary>
internal sealed class DataDirectory
{
    private const string ParametersFileName = "parameters.json";
    private const string AlphaNumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    // No characters that need quoting in an Npgsql connection string (; = ' ") or a URL.
    private const string Special = "-_.~!*()";

    private DataDirectory(string path) => Path = path;

    public string Path { get; }
    public string Postgres => System.IO.Path.Combine(Path, "postgres");
    public string Redis => System.IO.Path.Combine(Path, "redis");
    private string ParametersFile => System.IO.Path.Combine(Path, ParametersFileName);

    /// <summary>Creates the directory when missing and proves it can be written; otherwise one clear error.</summary>
    public static DataDirectory Open(string path)
    {
        try
        {
            DirectoryInfo directory;
            if (OperatingSystem.IsWindows())
            {
                directory = Directory.CreateDirectory(path);
            }
            else
            {
                // Private to its owner (0700) when created here. As root, the 'postgres' account that runs the server must
                // be able to traverse it to reach postgres/ (which it owns): 0711, it still cannot list it.
                var traverse = PostgresRunAs.IsRoot ? UnixFileMode.GroupExecute | UnixFileMode.OtherExecute : UnixFileMode.None;
                directory = Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | traverse);
                if (PostgresRunAs.IsRoot)
                    directory.UnixFileMode |= UnixFileMode.OtherExecute;
            }
            var probe = System.IO.Path.Combine(path, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AppHostException(
                $"The data directory {path} cannot be written ({ex.Message}). Set AppHost:DataDirectory to a writable directory, e.g. --AppHost:DataDirectory=/tmp/binko.", ex);
        }
        return new DataDirectory(path);
    }

    /// <summary>
    /// The value of each parameter: from configuration (<c>Parameters:{name}</c>) when set, else the one generated on an
    /// earlier run, else a new one, which is saved.
    /// </summary>
    public IReadOnlyDictionary<string, string> ResolveParameters(IEnumerable<ParameterResource> parameters, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var saved = LoadSaved();
        var changed = false;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            var configured = configuration[parameter.ConfigurationKey];
            if (!string.IsNullOrEmpty(configured))
            {
                values[parameter.Name] = configured;
            }
            else if (saved.TryGetValue(parameter.Name, out var existing) && !string.IsNullOrEmpty(existing))
            {
                values[parameter.Name] = existing;
            }
            else if (parameter.GeneratedMinLength > 0)
            {
                values[parameter.Name] = saved[parameter.Name] = Generate(parameter.GeneratedMinLength, parameter.GeneratedSpecial);
                changed = true;
            }
            else
            {
                throw new AppHostException($"Parameter '{parameter.Name}' is not set: set {parameter.ConfigurationKey} (env {AppHostOptions.EnvironmentVariableName(parameter.ConfigurationKey)}).");
            }
        }
        if (changed)
            Save(saved);
        return values;
    }

    private Dictionary<string, string> LoadSaved()
    {
        if (!File.Exists(ParametersFile))
            return new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(ParametersFile))
                   ?? new Dictionary<string, string>(StringComparer.Ordinal);
        }
        catch (JsonException ex)
        {
            throw new AppHostException($"{ParametersFile} is not valid JSON ({ex.Message}). Fix it, or delete it together with the data directory's postgres/ folder.", ex);
        }
    }

    private void Save(Dictionary<string, string> values)
    {
        // Written to a new 0600 file, then renamed over the old one: never readable by others, never half-written.
        var temporary = ParametersFile + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options))
            JsonSerializer.Serialize(stream, values, new JsonSerializerOptions { WriteIndented = true });
        File.Move(temporary, ParametersFile, overwrite: true);
    }

    private static string Generate(int length, bool special)
    {
        // Starts with a letter; special characters only in the middle, so no tool trims or misreads them.
        var alphabet = special ? AlphaNumeric + Special : AlphaNumeric;
        return RandomNumberGenerator.GetString(AlphaNumeric.AsSpan(0, 52), 1) + RandomNumberGenerator.GetString(alphabet, length - 2) + RandomNumberGenerator.GetString(AlphaNumeric, 1);
    }
}
