using OpenTelemetry.Trace;

namespace Binko.ServiceDefaults.Telemetry;

/// <summary>
/// A database command (a span with <c>db.system</c>: Redis, Postgres) is traced as part of the request or job that ran
/// it, never as a trace of its own. Background loops (worker beats, lease heartbeats, cache invalidation) run their
/// commands outside any span; most are kept out with <c>SuppressInstrumentationScope</c>, but the Redis instrumentation
/// does not honour it and turns each such command into a root span. This drops those roots; every other span follows
/// the default (parent-based: root spans sampled, children as their parent).
/// </summary>
internal sealed class DatabaseRootSpanSampler : Sampler
{
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);
    private static readonly SamplingResult Sample = new(SamplingDecision.RecordAndSample);

    /// <summary>Sees root spans only, under a <see cref="ParentBasedSampler"/>.</summary>
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.Tags?.Any(tag => tag.Key is "db.system" or "db.system.name") == true ? Drop : Sample;
}
