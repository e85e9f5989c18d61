namespace Binko.AppHost.Postgres;

/// <summary>A directory holding the PostgreSQL server programs <c>postgres</c> and <c>initdb</c>.</summary>
public sealed record PostgresBinaries(string BinDirectory)
{
    private const string DebianRoot = "/usr/lib/postgresql";

    public string Postgres => Path.Combine(BinDirectory, "postgres");
    public string InitDb => Path.Combine(BinDirectory, "initdb");

    /// <summary>
    /// Looks, in order, at the directory of <c>postgres</c> on PATH (symlinks resolved), at <c>pg_config --bindir</c>,
    /// and at the highest version under /usr/lib/postgresql/*/bin.
    /// </summary>
    public static PostgresBinaries Locate()
    {
        var found = FromPostgresOnPath() ?? FromPgConfig() ?? FromDebianLayout();
        return found ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (postgres and initdb) not found: looked for postgres on PATH, at `pg_config --bindir` " +
            $"and in {DebianRoot}/*/bin. Install the server, e.g. `apt-get install postgresql`.");
    }

    private static PostgresBinaries? FromPostgresOnPath()
    {
        var postgres = Executables.FindOnPath("postgres");
        if (postgres is null)
            return null;
        var target = File.ResolveLinkTarget(postgres, returnFinalTarget: true)?.FullName ?? postgres;
        return Validate(Path.GetDirectoryName(Path.GetFullPath(target)));
    }

    private static PostgresBinaries? FromPgConfig()
    {
        var pgConfig = Executables.FindOnPath("pg_config");
        if (pgConfig is null)
            return null;
        var (exitCode, output) = Executables.RunAsync(pgConfig, ["--bindir"], CancellationToken.None).GetAwaiter().GetResult();
        return exitCode == 0 ? Validate(output) : null;
    }

    private static PostgresBinaries? FromDebianLayout()
    {
        if (!Directory.Exists(DebianRoot))
            return null;
        return Directory.EnumerateDirectories(DebianRoot)
            .Select(dir => (Dir: dir, Version: Version.TryParse(NormalizeVersion(Path.GetFileName(dir)), out var v) ? v : null))
            .Where(x => x.Version is not null)
            .OrderByDescending(x => x.Version)
            .Select(x => Validate(Path.Combine(x.Dir, "bin")))
            .FirstOrDefault(b => b is not null);
    }

    // Debian uses "15" and, for old releases, "9.6"; Version.TryParse needs at least major.minor.
    private static string NormalizeVersion(string name) => name.Contains('.') ? name : name + ".0";

    private static PostgresBinaries? Validate(string? directory)
    {
        if (string.IsNullOrEmpty(directory))
            return null;
        var binaries = new PostgresBinaries(directory);
        return Executables.IsExecutableFile(binaries.Postgres) && Executables.IsExecutableFile(binaries.InitDb) ? binaries : null;
    }
}
