namespace Binko.Backup;

/// <summary>What the tool's exit code means; the README's "Backups" section lists the same.</summary>
public static class ExitCodes
{
    /// <summary>The dump restored and matches its manifest (or help was printed).</summary>
    public const int Verified = 0;

    /// <summary>The restore failed or differs from the manifest: the backup cannot be trusted.</summary>
    public const int Different = 1;

    /// <summary>Wrong arguments, a missing tool or file, or a database that cannot be reached: nothing was verified.</summary>
    public const int UsageOrToolError = 2;

    /// <summary>Ctrl+C or SIGTERM (128 + SIGINT, as shells report it); the scratch database was still dropped.</summary>
    public const int Interrupted = 130;
}
