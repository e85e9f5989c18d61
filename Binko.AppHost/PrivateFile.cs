using System.Text;

namespace Binko.AppHost;

/// <summary>Files that hold a secret: readable and writable by their owner only (0600), whatever was there before.</summary>
public static class PrivateFile
{
    private static readonly FileStreamOptions CreateNew = new()
    {
        Mode = FileMode.CreateNew,
        Access = FileAccess.Write,
        UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
    };

    public static async Task WriteAsync(string path, string text, CancellationToken cancellationToken)
    {
        // A new file, so the mode is ours even if an older file had another.
        File.Delete(path);
        await using var stream = new FileStream(path, CreateNew);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Written beside, then renamed over <paramref name="path"/>: never readable by others, never half-written.</summary>
    public static void Replace(string path, Action<Stream> write)
    {
        var temporary = path + ".tmp";
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, CreateNew))
            write(stream);
        File.Move(temporary, path, overwrite: true);
    }
}
