using System.Diagnostics;
using Binko.Data.Entities;

namespace Binko.Data.Generations;

/// <summary>
/// The W3C trace context a generation job carries from the request that queued it to every attempt at running it, so
/// that one generation is one trace: the API stores it in the row it inserts, the worker reads it back with the claim.
/// </summary>
public static class JobTraceContext
{
    /// <summary>Length of a version-00 <c>traceparent</c>, the only version .NET writes.</summary>
    public const int TraceParentLength = 55;

    /// <summary>The W3C limit a platform must propagate; a longer <c>tracestate</c> (from a caller) is dropped.</summary>
    public const int MaxTraceStateLength = 512;

    /// <summary>Stores <paramref name="activity"/>'s context on <paramref name="job"/>; nothing without a W3C activity.</summary>
    public static void Capture(Generation job, Activity? activity)
    {
        if (activity is not { IdFormat: ActivityIdFormat.W3C })
            return;
        job.TraceParent = activity.Id;
        job.TraceState = activity.TraceStateString is { Length: <= MaxTraceStateLength } state ? state : null;
    }

    /// <summary>The stored context as a remote parent; default (the job's span becomes a root) when there is none.</summary>
    public static ActivityContext Parent(Generation job) =>
        ActivityContext.TryParse(job.TraceParent, job.TraceState, isRemote: true, out var parent) ? parent : default;
}
