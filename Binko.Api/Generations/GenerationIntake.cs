using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Binko.Data;
using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.Data.Quotas;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Binko.Api.Generations;

/// <summary>
/// Accepts a generation or a refinement (DESIGN.md, "Generation, end to end", steps 1–2): a request that contradicts
/// itself is refused, then idempotency, the response cache, backpressure, then one transaction that reserves a quota
/// unit, inserts the job within the caller's in-flight cap (and the Idempotency-Key) and notifies the workers.
/// </summary>
public sealed class GenerationIntake(
    BinkoDbContext db,
    IConnectionMultiplexer redis,
    LiveWorkers liveWorkers,
    IConfiguration configuration,
    IOptions<GenerationOptions> options,
    IOptions<InFlightQuotaOptions> inFlight,
    GenerationMetrics metrics,
    TimeProvider time,
    ILogger<GenerationIntake> logger)
{
    public async Task<IntakeResult> AcceptAsync(Caller caller, GenerationRequest request, string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        if (GenerationRequests.Contradictions(request) is { Count: > 0 } contradictions)
        {
            metrics.Rejected("contradictory");
            return new IntakeResult.Contradictory(contradictions);
        }
        var requestJson = request.ToJson();
        var requestHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requestJson)));
        if (idempotencyKey is not null && await ReplayAsync(caller, idempotencyKey, requestHash, cancellationToken) is { } replay)
            return replay;

        var contentHash = request.ContentHash(options.Value.Model);
        // A refinement is about one idea of one person, and what a person's feedback shapes is theirs alone (the worker
        // never caches it): neither is answered from the cache.
        if (request.Refinement is null)
        {
            var cached = await IsShapedByFeedbackAsync(caller, cancellationToken) ? null : await ReadCacheAsync(contentHash);
            // Null also when the cached result holds a title this person was already shown: it is generated instead.
            var served = cached is null
                ? null
                : await StoreAsync(caller, request, requestJson, requestHash, contentHash, cached, idempotencyKey, cancellationToken);
            metrics.CacheLookup(hit: served is not null);
            if (served is not null)
                return served;
        }
        if (await IsOverloadedAsync(cancellationToken))
        {
            metrics.Rejected("overloaded");
            return new IntakeResult.Overloaded();
        }
        return (await StoreAsync(caller, request, requestJson, requestHash, contentHash, cached: null, idempotencyKey, cancellationToken))!;
    }

    /// <summary>Stores the generation, from <paramref name="cached"/> or queued, retrying transient faults; null when the
    /// cached result holds a title the caller was already shown (then nothing is stored).</summary>
    private async Task<IntakeResult?> StoreAsync(Caller caller, GenerationRequest request, string requestJson, string requestHash,
        string contentHash, CachedGeneration? cached, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var stored = await db.Database.CreateExecutionStrategy().ExecuteAsync(
            token => StoreOnceAsync(caller, request, requestJson, requestHash, contentHash, cached, idempotencyKey, token),
            cancellationToken);
        // A concurrent request with the same key stored first: answer with what it made.
        return stored is KeyTaken
            ? await ReplayAsync(caller, idempotencyKey!, requestHash, cancellationToken)
                ?? throw new InvalidOperationException("The Idempotency-Key was taken but its record is gone.")
            : stored;
    }

    private async Task<IntakeResult?> StoreOnceAsync(Caller caller, GenerationRequest request, string requestJson, string requestHash,
        string contentHash, CachedGeneration? cached, string? idempotencyKey, CancellationToken cancellationToken)
    {
        // A cache hit without a key is one statement, atomic on its own: no transaction round trips.
        await using var transaction = cached is null || idempotencyKey is not null
            ? await db.Database.BeginTransactionAsync(cancellationToken)
            : null;
        var now = time.GetUtcNow();
        var generation = new Generation
        {
            OwnerId = caller.OwnerId,
            Plan = caller.Plan,
            Kind = request.Refinement is null ? GenerationKind.Generate : GenerationKind.Refine,
            RefinesIdeaId = request.Refinement?.IdeaId,
            NumIdeas = request.NumIdeas,
            Request = requestJson,
            ContentHash = contentHash,
            CreatedAt = now,
        };

        int? used = null;
        if (cached is null)
        {
            var day = QuotaLedger.Today(time);
            used = await QuotaLedger.TryReserveAsync(db, caller.OwnerId, day, caller.DailyQuota, cancellationToken);
            if (used is null)
            {
                metrics.Rejected("quota");
                return new IntakeResult.QuotaExceeded(caller.DailyQuota);
            }
            generation.Status = GenerationStatus.Queued;
            generation.QuotaDay = day;
            // The worker's processing span continues this request's trace (README, "Telemetry").
            JobTraceContext.Capture(generation, Activity.Current);
            // The reservation's row lock serialises this caller's intakes until commit, so the cap is exact; refused,
            // the transaction rolls back and the unit is not spent.
            var maxInFlight = inFlight.Value.For(caller.Plan);
            if (!await GenerationRows.TryQueueAsync(db, generation, maxInFlight, cancellationToken))
            {
                metrics.Rejected("in_flight");
                return new IntakeResult.TooManyInFlight(maxInFlight);
            }
        }
        else
        {
            generation.Status = GenerationStatus.Completed;
            generation.Cached = true;
            generation.Model = cached.Model;
            generation.CompletedAt = now;
            generation.Ideas = [.. cached.Ideas.Select((idea, position) => idea.ToEntity(generation.Id, position))];
            // A signed-in person is never shown a title again (README, "What Binko learns"). A guest, known only by an
            // address that many people may share, is served the cached result as it is.
            if (!await GenerationRows.TryInsertFromCacheAsync(db, generation, unlessShown: !caller.IsGuest, cancellationToken))
                return null;
        }

        if (idempotencyKey is not null && !await RememberKeyAsync(caller, idempotencyKey, requestHash, generation.Id, now, cancellationToken))
            return new KeyTaken();
        if (cached is null)
            await GenerationQueue.NotifyQueuedAsync(db, cancellationToken);
        if (transaction is not null)
            await transaction.CommitAsync(cancellationToken);

        metrics.Accepted(cached is not null);
        return used is { } spent ? new IntakeResult.Queued(generation, spent) : new IntakeResult.FromCache(generation);
    }

    /// <summary>The Idempotency-Key was recorded by a concurrent request first; nothing of this one is committed.</summary>
    private sealed record KeyTaken : IntakeResult;

    /// <summary>Records the key for this generation; false (nothing recorded) when a live record holds it already.</summary>
    private async Task<bool> RememberKeyAsync(Caller caller, string key, string requestHash, Guid generationId,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expires = now.AddHours(options.Value.IdempotencyHours);
        return await db.Database.ExecuteSqlAsync($"""
            INSERT INTO idempotency_keys (owner_id, key, request_hash, generation_id, created_at, expires_at)
            VALUES ({caller.OwnerId}, {key}, {requestHash}, {generationId}, {now}, {expires})
            ON CONFLICT (owner_id, key) DO UPDATE
                SET request_hash = excluded.request_hash, generation_id = excluded.generation_id,
                    created_at = excluded.created_at, expires_at = excluded.expires_at
                WHERE idempotency_keys.expires_at <= {now}
            """, cancellationToken) == 1;
    }

    private async Task<IntakeResult?> ReplayAsync(Caller caller, string key, string requestHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = await db.IdempotencyRecords.AsNoTracking()
            .SingleOrDefaultAsync(r => r.OwnerId == caller.OwnerId && r.Key == key && r.ExpiresAt > now, cancellationToken);
        if (record is null)
            return null;
        if (record.RequestHash != requestHash)
            return new IntakeResult.KeyReused();
        var generation = await db.Generations.AsNoTracking().Include(g => g.Ideas)
            .SingleAsync(g => g.Id == record.GenerationId, cancellationToken);
        return new IntakeResult.Replayed(generation);
    }

    private async Task<CachedGeneration?> ReadCacheAsync(string contentHash)
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(GenerationCache.Key(RedisKeys.Prefix(configuration), contentHash));
            return value.HasValue ? GenerationCache.Deserialize(value.ToString()) : null;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The cache is an optimisation: without Redis the request is simply generated.
            logger.LogWarning(exception, "Generation cache unavailable; generating instead");
            return null;
        }
    }

    /// <summary>Whether the caller has feedback that the worker learns from (<see cref="LearningFeedback"/>).</summary>
    private async Task<bool> IsShapedByFeedbackAsync(Caller caller, CancellationToken cancellationToken) =>
        caller.UserId is { } userId
        && await db.Feedback.Where(f => f.UserId == userId).AnyAsync(LearningFeedback.Teaches, cancellationToken);

    /// <summary>At most <see cref="GenerationOptions.MaxInFlightPerWorker"/> per live worker (at least one worker's worth).</summary>
    private async Task<bool> IsOverloadedAsync(CancellationToken cancellationToken)
    {
        var workers = 1;
        try
        {
            workers = Math.Max(1, (await liveWorkers.ListAsync()).Count);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Worker registry unavailable; assuming one worker for backpressure");
        }
        return await GenerationQueue.InFlightAsync(db, cancellationToken) >= workers * options.Value.MaxInFlightPerWorker;
    }
}
