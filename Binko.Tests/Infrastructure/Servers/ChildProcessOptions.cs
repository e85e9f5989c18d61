namespace Binko.Tests.Infrastructure.Servers;

public sealed record ChildProcessOptions
{
    public required string FileName { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Applied on top of the inherited environment; a null value removes an inherited variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public string? WorkingDirectory { get; init; }

    /// <summary>Receives every stdout and stderr line. Called on thread-pool threads, possibly concurrently.</summary>
    public Action<string>? Output { get; init; }

    /// <summary>Written to the child's stdin, which is then closed; null leaves stdin attached to nothing.</summary>
    public string? StandardInput { get; init; }
}
