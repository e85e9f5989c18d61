using System.Text.Json;
using System.Xml.Linq;

namespace Binko.AppHost.Redis;

/// <summary>
/// garnet-server, Microsoft's Redis-compatible server, from the repository's tool manifest (.config/dotnet-tools.json):
/// Binko's Redis where redis-server is not installed, for the AppHost and the tests alike. It is run with
/// <c>dotnet exec</c> rather than <c>dotnet tool run</c>, which would stand between DCP (or a test) and the server as a
/// second process, one that a SIGKILL would not take the server down with.
/// </summary>
public static class GarnetServerTool
{
    public const string Name = "garnet-server";

    private const string ManifestPath = ".config/dotnet-tools.json";

    /// <summary>The tool asks for the server GC, a heap per core: more memory than a local Redis is worth.</summary>
    public static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" };

    /// <summary>
    /// Restores the tools of the repository that holds <paramref name="directory"/> (a no-op when they are there) and
    /// returns garnet-server's assembly in the NuGet packages folder: garnet-server/&lt;version&gt;/tools/&lt;tfm&gt;/any/,
    /// whose DotnetToolSettings.xml names it.
    /// </summary>
    public static async Task<string> LocateAsync(string directory, CancellationToken cancellationToken)
    {
        var repository = FindRepository(directory);
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(repository, ManifestPath), cancellationToken).ConfigureAwait(false));
        var version = manifest.RootElement.GetProperty("tools").TryGetProperty(Name, out var tool)
            ? tool.GetProperty("version").GetString()!
            : throw new InvalidOperationException($"{Name} is not in {Path.Combine(repository, ManifestPath)}.");

        await DotnetAsync(repository, ["tool", "restore"], cancellationToken).ConfigureAwait(false);
        // Prints "global-packages: /root/.nuget/packages/".
        var packages = (await DotnetAsync(repository, ["nuget", "locals", "global-packages", "--list"], cancellationToken).ConfigureAwait(false)).Split(':', 2)[1].Trim();
        var settings = Directory.GetFiles(Path.Combine(packages, Name, version, "tools"), "DotnetToolSettings.xml", SearchOption.AllDirectories)
            .MaxBy(TargetFrameworkVersion)
            ?? throw new InvalidOperationException($"{Name} {version} was restored but has no DotnetToolSettings.xml under {packages}.");
        var entryPoint = XDocument.Load(settings).Descendants("Command")
            .Single(command => (string?)command.Attribute("Name") == Name)
            .Attribute("EntryPoint")!.Value;
        return Path.Combine(Path.GetDirectoryName(settings)!, entryPoint);
    }

    /// <summary>
    /// The configuration garnet-server reads with <c>--config-import-path</c> (names as <c>--config-export-path</c> writes
    /// them): 127.0.0.1 only, the password, Lua as Redis runs it, and a small memory budget. It holds the password: write
    /// it to a file only its owner can read.
    /// </summary>
    public static string Configuration(string password, int? port = null)
    {
        var settings = new Dictionary<string, object>
        {
            ["Address"] = "127.0.0.1",
            ["AuthenticationMode"] = "Password",
            ["Password"] = password,
            // The api's rate limiters are Lua scripts, which must run atomically as in Redis: without transaction mode,
            // Garnet interleaves the scripts of concurrent clients and replicas lose each other's updates.
            ["EnableLua"] = true,
            ["LuaTransactionMode"] = true,
            // Garnet's defaults (16 GB of log memory, a 128 MB index, 1 GB buffer budgets) are sized for a dedicated server.
            ["LogMemorySize"] = "64m",
            ["PageSize"] = "1m",
            ["IndexMemorySize"] = "8m",
            ["BufferPoolMemoryBudget"] = "16m",
            ["NetworkBufferMemoryBudget"] = "32m",
            ["QuietMode"] = true,
        };
        if (port is { } value)
            settings["Port"] = value;
        return JsonSerializer.Serialize(settings);
    }

    /// <summary>The directory whose .config/dotnet-tools.json `dotnet tool run` would use from <paramref name="directory"/>.</summary>
    private static string FindRepository(string directory)
    {
        for (var candidate = Path.GetFullPath(directory); candidate is not null; candidate = Path.GetDirectoryName(candidate))
        {
            if (File.Exists(Path.Combine(candidate, ManifestPath)))
                return candidate;
        }
        throw new InvalidOperationException($"No {ManifestPath} in {directory} or above it.");
    }

    /// <summary>The version of tools/&lt;tfm&gt;/any/DotnetToolSettings.xml's target framework, e.g. 10.0 for net10.0.</summary>
    private static Version TargetFrameworkVersion(string settings) =>
        Version.Parse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(settings)))!["net".Length..]);

    /// <summary>Runs the dotnet CLI to its end in the repository (for its NuGet.config); returns its output.</summary>
    private static async Task<string> DotnetAsync(string repository, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await Executables.RunAsync("dotnet", arguments, cancellationToken, repository).ConfigureAwait(false);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"`dotnet {string.Join(' ', arguments)}` in {repository} failed with exit code {exitCode}: {output}");
    }
}
