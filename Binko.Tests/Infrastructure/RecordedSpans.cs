using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Binko.Tests.Infrastructure;

/// <summary>
/// The spans the services in this process export while it lives, from the activity sources it is given.
/// The listener never samples: only what the services' OpenTelemetry tracer providers decide to record is created,
/// and of that it keeps, as the SDK does before exporting, what ends sampled and outside a
/// <c>SuppressInstrumentationScope</c> (another test's listener may have created it anyway).
/// </summary>
public sealed class RecordedSpans : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public RecordedSpans(Func<ActivitySource, bool> sources)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = sources,
            ActivityStopped = activity =>
            {
                if (activity.Recorded && !Sdk.SuppressInstrumentation)
                    _spans.Enqueue(activity);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> All => [.. _spans];

    /// <summary>Waits until <paramref name="count"/> ended spans match, and returns them in the order they ended.</summary>
    public async Task<IReadOnlyList<Activity>> WaitForAsync(Func<Activity, bool> match, string what, int count = 1) =>
        await Eventually.ReturnsAsync(() => Task.FromResult<IReadOnlyList<Activity>>([.. _spans.Where(match)]),
            spans => spans.Count >= count, TimeSpan.FromSeconds(30), what);

    /// <summary>The ended spans whose parent is <paramref name="parent"/>.</summary>
    public IReadOnlyList<Activity> ChildrenOf(Activity parent) =>
        [.. _spans.Where(span => span.TraceId == parent.TraceId && span.ParentSpanId == parent.SpanId)];

    public void Dispose() => _listener.Dispose();
}
