namespace Binko.Backup;

/// <summary>Backup files are readable by their owner only: a dump holds every user's profile and generations.</summary>
public static class PrivateFile
{
    /// <summary>A new file, mode 0600 (where the OS has modes); an existing one is an error, never overwritten.</summary>
    public static FileStream CreateNew(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            return new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new ToolException($"{path} already exists; a backup never overwrites a file");
        }
    }
}
