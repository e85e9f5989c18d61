namespace Binko.AppHost.Orchestration;

/// <summary>The most recent console lines of one resource instance, for the dashboard and test diagnostics.</summary>
public sealed class ResourceLog(int capacity = 500)
{
    private readonly Queue<ResourceLogLine> _lines = new();

    public void Add(string text)
    {
        var line = new ResourceLogLine(DateTimeOffset.UtcNow, text);
        lock (_lines)
        {
            if (_lines.Count == capacity)
                _lines.Dequeue();
            _lines.Enqueue(line);
        }
    }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<ResourceLogLine> Snapshot()
    {
        lock (_lines)
            return [.. _lines];
    }
}

public sealed record ResourceLogLine(DateTimeOffset Timestamp, string Text);
