using System.Diagnostics.Metrics;

namespace Binko.Api.Generations;

/// <summary>Meter <c>Binko.Generation</c> on the API side: cache hits and misses, acceptances and rejections, long-polls.</summary>
public sealed class GenerationMetrics
{
    public const string MeterName = "Binko.Generation";

    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly UpDownCounter<long> _waits;
    private readonly Counter<long> _waitsRefused;
    private long _hits;
    private long _misses;

    public GenerationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _cacheHits = meter.CreateCounter<long>("binko.generation.cache.hits", description: "Generation requests served from the response cache");
        _cacheMisses = meter.CreateCounter<long>("binko.generation.cache.misses", description: "Generation requests the cache could not serve");
        _accepted = meter.CreateCounter<long>("binko.generation.accepted", description: "Generations accepted (queued or served from cache)");
        _rejected = meter.CreateCounter<long>("binko.generation.rejected", description: "Generations refused, by reason");
        _waits = meter.CreateUpDownCounter<long>("binko.generation.waits", "{request}", "Long-polls waiting for a generation in this replica");
        _waitsRefused = meter.CreateCounter<long>("binko.generation.waits.refused", "{request}",
            "Long-polls answered at once because their caller held Generation:MaxWaitsPerCaller already");
    }

    /// <summary>Hits and misses since this replica started, for the admin status.</summary>
    public (long Hits, long Misses) CacheStatistics => (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));

    public void CacheLookup(bool hit)
    {
        if (hit)
        {
            Interlocked.Increment(ref _hits);
            _cacheHits.Add(1);
        }
        else
        {
            Interlocked.Increment(ref _misses);
            _cacheMisses.Add(1);
        }
    }

    public void Accepted(bool cached) => _accepted.Add(1, new KeyValuePair<string, object?>("cached", cached));

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts a long-poll as waiting until the returned scope is disposed.</summary>
    public IDisposable WaitOpened()
    {
        _waits.Add(1);
        return new WaitScope(_waits);
    }

    public void WaitRefused() => _waitsRefused.Add(1);

    private sealed class WaitScope(UpDownCounter<long> waits) : IDisposable
    {
        public void Dispose() => waits.Add(-1);
    }
}
