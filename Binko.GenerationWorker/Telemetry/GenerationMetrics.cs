using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Binko.GenerationWorker.Telemetry;

/// <summary>The worker's metrics (meter "Binko.Generation", collected by ServiceDefaults with every "Binko.*" meter).
/// LLM latency and token counts come from Microsoft.Extensions.AI's OpenTelemetry client as <c>gen_ai.*</c> metrics.</summary>
public sealed class GenerationMetrics
{
    public const string MeterName = "Binko.Generation";

    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _degraded;
    private readonly Counter<long> _cacheWrites;
    private readonly Counter<long> _claims;
    private readonly Histogram<double> _jobDuration;
    private readonly Histogram<double> _claimLatency;
    private long _queueDepth;
    private int _running;

    public GenerationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _completed = meter.CreateCounter<long>("binko.generation.jobs.completed", "{job}", "Jobs completed (degraded or not)");
        _failed = meter.CreateCounter<long>("binko.generation.jobs.failed", "{job}", "Jobs failed for good, by error code");
        _retried = meter.CreateCounter<long>("binko.generation.jobs.retried", "{job}", "Job attempts put back for a later retry");
        _degraded = meter.CreateCounter<long>("binko.generation.degradations", "{job}", "Jobs completed with catalog ideas because the LLM was unavailable");
        _cacheWrites = meter.CreateCounter<long>("binko.generation.cache.writes", "{entry}", "Results written to the response cache");
        _claims = meter.CreateCounter<long>("binko.generation.claims", "{claim}", "Claim queries, by whether they found a job");
        _jobDuration = meter.CreateHistogram<double>("binko.generation.job.duration", "s", "From the job's creation to its completion");
        _claimLatency = meter.CreateHistogram<double>("binko.generation.claim.latency", "s", "From the job being due to being claimed");
        meter.CreateObservableGauge("binko.generation.queue.depth", () => Volatile.Read(ref _queueDepth), "{job}",
            "Queued and running jobs, sampled by the worker heartbeat");
        meter.CreateObservableUpDownCounter("binko.generation.jobs.running", () => Volatile.Read(ref _running), "{job}",
            "Jobs this replica is running");
    }

    public int Running => Volatile.Read(ref _running);

    public void JobStarted(TimeSpan claimLatency)
    {
        Interlocked.Increment(ref _running);
        _claimLatency.Record(Math.Max(0, claimLatency.TotalSeconds));
    }

    public void JobEnded() => Interlocked.Decrement(ref _running);

    public void Completed(string model, bool degraded, TimeSpan sinceCreated)
    {
        var tags = new TagList { { "model", model }, { "degraded", degraded } };
        _completed.Add(1, tags);
        _jobDuration.Record(sinceCreated.TotalSeconds, tags);
    }

    public void Degraded(string reason) => _degraded.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Failed(string errorCode) => _failed.Add(1, new KeyValuePair<string, object?>("error_code", errorCode));

    public void Retried(string reason) => _retried.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void CacheWritten() => _cacheWrites.Add(1);

    public void Claimed(bool found) => _claims.Add(1, new KeyValuePair<string, object?>("found", found));

    public void QueueDepth(long depth) => Volatile.Write(ref _queueDepth, depth);
}
