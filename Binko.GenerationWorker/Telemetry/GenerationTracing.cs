using System.Diagnostics;
using Binko.Data.Generations;

namespace Binko.GenerationWorker.Telemetry;

/// <summary>
/// The worker's spans (activity source "Binko.GenerationWorker", collected by ServiceDefaults with every "Binko.*"
/// source). Each attempt at a job is one <see cref="ProcessSpanName"/> consumer span (OpenTelemetry messaging
/// conventions) whose parent is the request that queued the job, so a generation is one trace; its children load the
/// context, generate (the chat client's GenAI and HTTP spans below that) and store the result.
/// </summary>
public static class GenerationTracing
{
    public const string SourceName = "Binko.GenerationWorker";

    public const string ProcessSpanName = "process generations";
    public const string LoadContextSpanName = "load generation context";
    public const string GenerateSpanName = "generate ideas";
    public const string StoreSpanName = "store generation result";

    /// <summary>What became of an attempt: completed, degraded, retry, failed, put_back or lease_lost.</summary>
    public const string OutcomeTag = "binko.generation.outcome";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the span of one attempt at <paramref name="job"/>: a child of the request that queued it, or a
    /// root when the job carries no trace context.</summary>
    public static Activity? StartProcessing(Binko.Data.Entities.Generation job, string worker)
    {
        var activity = Source.StartActivity(ProcessSpanName, ActivityKind.Consumer, JobTraceContext.Parent(job));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "postgresql");
            activity.SetTag("messaging.operation.name", "process");
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.destination.name", "generations");
            activity.SetTag("messaging.message.id", job.Id.ToString());
            activity.SetTag("messaging.client.id", worker);
            activity.SetTag("binko.generation.kind", job.Kind.ToString().ToLowerInvariant());
            activity.SetTag("binko.generation.attempt", job.Attempts);
        }
        return activity;
    }

    /// <summary>Starts a step of the current attempt (a child of the current span).</summary>
    public static Activity? StartStep(string name) => Source.StartActivity(name);

    /// <summary>The attempt stored its ideas: completed, or degraded to catalog ideas.</summary>
    public static void Completed(this Activity? activity, GenerationOutcome outcome)
    {
        activity?.SetTag(OutcomeTag, outcome.Degraded ? "degraded" : "completed");
        activity?.SetTag("binko.generation.model", outcome.Model);
        activity?.SetTag("binko.generation.idea_count", outcome.Ideas.Count);
    }

    /// <summary>The attempt ended without a result and without an error of its own: put_back (at shutdown), or
    /// lease_lost (another worker holds the job now).</summary>
    public static void SetOutcome(this Activity? activity, string outcome) => activity?.SetTag(OutcomeTag, outcome);

    /// <summary>The attempt failed: <paramref name="outcome"/> is retry or failed, <paramref name="errorType"/> the retry
    /// reason or the job's error code.</summary>
    public static void Failed(this Activity? activity, string outcome, string errorType)
    {
        activity?.SetTag(OutcomeTag, outcome);
        activity?.SetTag("error.type", errorType);
        activity?.SetStatus(ActivityStatusCode.Error, errorType);
    }

    /// <summary>Marks the span failed by <paramref name="exception"/>, recorded as an exception event.</summary>
    public static void Failed(this Activity? activity, Exception exception)
    {
        activity?.SetTag("error.type", exception.GetType().FullName);
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity?.AddException(exception);
    }
}
