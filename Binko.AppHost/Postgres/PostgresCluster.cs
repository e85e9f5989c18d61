namespace Binko.AppHost.Postgres;

/// <summary>The cluster in the data directory's postgres/: where its files are and how its programs are run.</summary>
internal sealed class PostgresCluster(string directory, PostgresBinaries binaries, PostgresRunAs runAs, bool durable)
{
    public string Directory { get; } = directory;
    private string PgData => Path.Combine(Directory, "pgdata");
    private string PasswordFile => Path.Combine(Directory, "initdb-password");

    public bool Exists => File.Exists(Path.Combine(PgData, "PG_VERSION"));

    public (string Command, IReadOnlyList<string> Arguments) ServerCommand() => runAs.Wrap(binaries.Postgres,
    [
        "-D", PgData,
        "-c", "listen_addresses=127.0.0.1",
        "-c", "unix_socket_directories=",
        "-c", "max_connections=200",
        // AppHost:Durable=false (tests only): no fsync. A crash can then lose or corrupt data.
        .. durable ? Array.Empty<string>() : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    ]);

    public (string Command, IReadOnlyList<string> Arguments) InitDbCommand() => runAs.Wrap(binaries.InitDb,
    [
        "-D", PgData,
        "-U", LocalPostgresResource.SuperUser,
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        $"--pwfile={PasswordFile}",
        "-E", "UTF8",
        // C.UTF-8 where the C library has it (glibc 2.35 and later), the plain C locale otherwise.
        System.IO.Directory.Exists("/usr/lib/locale/C.utf8") ? "--locale=C.UTF-8" : "--no-locale",
        "--no-instructions",
        .. durable ? Array.Empty<string>() : ["--no-sync"],
    ]);

    public async Task WritePasswordFileAsync(string password, CancellationToken ct)
    {
        await PrivateFile.WriteAsync(PasswordFile, password + "\n", ct).ConfigureAwait(false);
        runAs.GiveToAccount(PasswordFile);
    }

    public void DeletePasswordFile() => File.Delete(PasswordFile);
}
