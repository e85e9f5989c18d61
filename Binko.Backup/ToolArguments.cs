namespace Binko.Backup;

/// <summary>The command line: <c>backup [--out DIR]</c> or <c>verify DUMP_FILE</c>, each with
/// <c>[--connection STRING] [--pg-bin DIR]</c>.</summary>
public sealed record ToolArguments(string Command, string? DumpFile, string? OutputDirectory, string? Connection, string? PgBin)
{
    public const string Backup = "backup";
    public const string Verify = "verify";
    public const string Help = "help";

    public const string Usage = """
        usage: dotnet run --project Binko.Backup -- backup [--out DIR] [--connection STRING] [--pg-bin DIR]
               dotnet run --project Binko.Backup -- verify DUMP_FILE [--connection STRING] [--pg-bin DIR]
          backup   dumps the database (pg_dump, custom format) to DIR (default: the current directory) with a
                   manifest of its migration id and row counts, then verifies the dump
          verify   restores DUMP_FILE into a scratch database on the same server, compares it with the manifest
                   beside it (<name>.manifest.json), and drops the scratch database
          --connection   Npgsql connection string; default: the ConnectionStrings__binkodb environment variable
          --pg-bin       directory of pg_dump and pg_restore; default: PG_BIN, then PATH
        exit codes: 0 verified, 1 the restore failed or differs, 2 usage or tool error, 130 interrupted
        """;

    public static ToolArguments Parse(IReadOnlyList<string> args)
    {
        string? command = null, dumpFile = null, outputDirectory = null, connection = null, pgBin = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    return new ToolArguments(Help, null, null, null, null);
                case "--out":
                    outputDirectory = ValueOf(args, ref i);
                    break;
                case "--connection":
                    connection = ValueOf(args, ref i);
                    break;
                case "--pg-bin":
                    pgBin = ValueOf(args, ref i);
                    break;
                case var option when option.StartsWith('-'):
                    throw new ToolException($"unknown option {option}; see --help");
                case var word when command is null:
                    command = word;
                    break;
                case var word when command == Verify && dumpFile is null:
                    dumpFile = word;
                    break;
                case var word:
                    throw new ToolException($"unexpected argument '{word}'; see --help");
            }
        }

        return command switch
        {
            null => throw new ToolException("no command: expected 'backup' or 'verify'; see --help"),
            Backup => new ToolArguments(Backup, null, outputDirectory, connection, pgBin),
            Verify when dumpFile is null => throw new ToolException("verify needs the dump file to verify; see --help"),
            Verify when outputDirectory is not null => throw new ToolException("--out is an option of backup, not of verify"),
            Verify => new ToolArguments(Verify, dumpFile, null, connection, pgBin),
            _ => throw new ToolException($"unknown command '{command}': expected 'backup' or 'verify'; see --help"),
        };
    }

    private static string ValueOf(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].Length == 0)
            throw new ToolException($"{args[i]} needs a value; see --help");
        return args[++i];
    }
}
