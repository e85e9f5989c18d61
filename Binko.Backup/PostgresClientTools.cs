using System.Globalization;
using System.Text.RegularExpressions;

namespace Binko.Backup;

/// <summary>pg_dump and pg_restore, from one directory so that they read each other's archives.</summary>
public sealed partial record PostgresClientTools(string BinDirectory)
{
    public const string EnvironmentVariable = "PG_BIN";

    public string PgDump => Path.Combine(BinDirectory, "pg_dump");
    public string PgRestore => Path.Combine(BinDirectory, "pg_restore");

    /// <summary>From <c>--pg-bin</c>, else <c>PG_BIN</c>, else the directory of pg_dump on PATH (on Debian and Ubuntu the
    /// postgresql-client package's wrappers, which run the newest installed release).</summary>
    public static PostgresClientTools Locate(string? pgBin, Func<string, string?> environment)
    {
        var chosen = pgBin ?? environment(EnvironmentVariable);
        if (!string.IsNullOrEmpty(chosen))
        {
            var source = pgBin is null ? EnvironmentVariable : "--pg-bin";
            return Validate(chosen) ?? throw new ToolException($"pg_dump and pg_restore are not both in {chosen} (from {source})");
        }
        return FromPath(environment("PATH")) ?? throw new ToolException(
            "pg_dump and pg_restore not found on PATH: install the PostgreSQL client (apt-get install postgresql-client) " +
            "or pass --pg-bin");
    }

    /// <summary>The release a program reports with <c>--version</c> ("pg_dump (PostgreSQL) 15.18 (Debian ..)" → 15).</summary>
    public static async Task<(Version Release, string Text)> VersionAsync(string program, CancellationToken cancellationToken)
    {
        var result = await ExternalProgram.RunAsync(program, ["--version"], new Dictionary<string, string?>(), cancellationToken);
        var text = result.StandardOutput.Trim();
        return result.ExitCode == 0 && TryParseRelease(text, out var release)
            ? (release, text)
            : throw new ToolException($"could not tell the version of {program}: it printed '{text}{result.ErrorSummary(1)}'");
    }

    /// <summary>The major release in a "--version" line: 9.6 for releases before 10, else the first number (15 → 15.0).</summary>
    public static bool TryParseRelease(string versionText, out Version release)
    {
        release = new Version();
        var match = VersionPattern().Match(versionText);
        if (!match.Success)
            return false;
        var major = int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture);
        var minor = major < 10 && match.Groups["minor"].Success ? int.Parse(match.Groups["minor"].Value, CultureInfo.InvariantCulture) : 0;
        release = new Version(major, minor);
        return true;
    }

    /// <summary>The server's major release in the same form (9.6.24 → 9.6, 15.4 → 15.0).</summary>
    public static Version ReleaseOf(Version serverVersion) =>
        new(serverVersion.Major, serverVersion.Major < 10 ? serverVersion.Minor : 0);

    public static string Describe(Version release) => release.Major < 10 ? $"{release.Major}.{release.Minor}" : $"{release.Major}";

    private static PostgresClientTools? FromPath(string? path) =>
        (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(directory => File.Exists(Path.Combine(directory, "pg_dump")))
            .Select(Validate)
            .FirstOrDefault(tools => tools is not null);

    private static PostgresClientTools? Validate(string directory)
    {
        var tools = new PostgresClientTools(Path.GetFullPath(directory));
        return File.Exists(tools.PgDump) && File.Exists(tools.PgRestore) ? tools : null;
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(?<major>\d+)(?:\.(?<minor>\d+))?")]
    private static partial Regex VersionPattern();
}
