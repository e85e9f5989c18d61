using System.Diagnostics;
using System.Text.Json;
using Binko.Data;
using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.GenerationWorker.Generation;
using Binko.GenerationWorker.Options;
using Binko.GenerationWorker.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace Binko.GenerationWorker.Jobs;

/// <summary>
/// Runs one claimed job (a generation, or a refinement of one idea): loads its context, generates (degrading to catalog
/// ideas, or the offline revision, when the LLM stays unavailable), and completes, retries or fails it, all under the
/// lease it keeps alive. Only results that describe no one are cached (<see cref="GenerationContext.CacheKey"/>). With the
/// owner's daily LLM-call budget spent, the job fails with <c>llm_budget_exhausted</c>. On shutdown the job is put back
/// at once. Each attempt is one span in the trace of the request that queued the job (<see cref="GenerationTracing"/>).
/// </summary>
public sealed partial class JobRunner(
    IServiceScopeFactory scopes,
    IIdeaGenerator generator,
    GenerationSlots slots,
    ResultCache cache,
    IOptions<GenerationOptions> options,
    WorkerIdentity identity,
    JobSignal signal,
    GenerationMetrics metrics,
    TimeProvider time,
    ILogger<JobRunner> logger)
{
    /// <summary>How long the final write may take after shutdown began.</summary>
    private static readonly TimeSpan WriteGrace = TimeSpan.FromSeconds(10);

    private GenerationOptions Options => options.Value;

    public async Task RunAsync(Binko.Data.Entities.Generation job, CancellationToken stoppingToken)
    {
        // The claim loop that called us is not traced (an idle worker would fill the traces); a job's own work is.
        using var traced = SuppressInstrumentationScope.Begin(false);
        using var processing = GenerationTracing.StartProcessing(job, identity.Name);
        metrics.JobStarted(time.GetUtcNow() - job.AvailableAt);
        await using var lease = new LeaseKeeper(scopes, job, Options.Lease, Options.Heartbeat, logger);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BinkoDbContext>();
            var result = await ProduceAsync(db, job, attempt.Token);

            // The result is in hand: write it even if shutdown began meanwhile, but never after losing the lease.
            using var write = CancellationTokenSource.CreateLinkedTokenSource(lease.Lost);
            write.CancelAfter(WriteGrace);
            await FinishAsync(db, job, result, processing, stoppingToken, write.Token);
        }
        catch (OperationCanceledException) when (lease.IsLost)
        {
            LogAbandoned(logger, job.Id);
            processing.SetOutcome("lease_lost");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            processing.SetOutcome("put_back");
            await PutBackAsync(job);
        }
        catch (Exception exception) when (TransientErrors.IsInfrastructure(exception))
        {
            LogTransient(logger, job.Id, job.Attempts, exception.GetType().Name, exception.Message);
            processing.Failed(exception);
            await FinishAfterErrorAsync(job,
                job.Attempts >= Options.MaxAttempts ? new JobResult.Fail("generation_failed") : new JobResult.Retry("infrastructure"),
                processing, stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A bug, not a passing fault: logged with its stack trace, and the job fails (refunded) instead of
            // being retried forever or taking the claim loop down.
            LogUnexpected(logger, exception, job.Id);
            processing.Failed(exception);
            await FinishAfterErrorAsync(job, new JobResult.Fail("generation_failed"), processing, stoppingToken);
        }
        finally
        {
            metrics.JobEnded();
        }
    }

    private async Task<JobResult> ProduceAsync(BinkoDbContext db, Binko.Data.Entities.Generation job, CancellationToken cancellationToken)
    {
        if (job.Attempts > Options.MaxAttempts)
            return new JobResult.Fail("attempts_exhausted");
        GenerationRequest request;
        try
        {
            request = GenerationRequest.FromJson(job.Request);
        }
        catch (JsonException exception)
        {
            LogInvalidRequest(logger, job.Id, exception.Message);
            return new JobResult.Fail("invalid_request");
        }
        if (request.NumIdeas is < 1 or > 10 || (job.Kind == GenerationKind.Refine) != (request.Refinement is not null))
            return new JobResult.Fail("invalid_request");

        GenerationContext context;
        try
        {
            context = await LoadContextAsync(db, job, request, cancellationToken);
        }
        catch (RefinedIdeaMissingException)
        {
            return new JobResult.Fail("idea_not_found");
        }
        try
        {
            var outcome = await slots.RunAsync(() => GenerateAsync(context, cancellationToken), cancellationToken);
            return new JobResult.Complete(outcome, context.CacheKey(outcome));
        }
        catch (LlmBudgetExhaustedException)
        {
            return new JobResult.Fail(LlmBudgetExhaustedException.ErrorCode);
        }
        catch (LlmUnavailableException exception) when (exception.CircuitOpen || job.Attempts >= Options.MaxAttempts)
        {
            return Degrade(context, exception.Reason, exception);
        }
        catch (LlmUnavailableException exception)
        {
            LogLlmUnavailable(logger, job.Id, job.Attempts, exception.Reason);
            return new JobResult.Retry(exception.Reason);
        }
        catch (InvalidLlmOutputException exception) when (job.Attempts >= Options.MaxAttempts)
        {
            return Degrade(context, "invalid_output", exception);
        }
        catch (InvalidLlmOutputException exception)
        {
            LogInvalidOutput(logger, job.Id, job.Attempts, exception.Message);
            return new JobResult.Retry("invalid_output");
        }
        catch (NoCatalogIdeasException)
        {
            return new JobResult.Fail("no_catalog_ideas");
        }
    }

    private static async Task<GenerationContext> LoadContextAsync(BinkoDbContext db, Binko.Data.Entities.Generation job,
        GenerationRequest request, CancellationToken cancellationToken)
    {
        using var span = GenerationTracing.StartStep(GenerationTracing.LoadContextSpanName);
        var context = await GenerationContextLoader.LoadAsync(db, job, request, cancellationToken);
        span?.SetTag("binko.generation.catalog_ideas", context.Catalog.Count);
        span?.SetTag("binko.generation.liked_ideas", context.Learning.Liked.Count);
        span?.SetTag("binko.generation.rejected_ideas", context.Learning.Rejected.Count);
        return context;
    }

    /// <summary>The generator's call (with the LLM: the first call and any repair call, the chat spans below it).</summary>
    private async Task<GenerationOutcome> GenerateAsync(GenerationContext context, CancellationToken cancellationToken)
    {
        using var span = GenerationTracing.StartStep(GenerationTracing.GenerateSpanName);
        try
        {
            var outcome = await generator.GenerateAsync(context, cancellationToken);
            span?.SetTag("binko.generation.idea_count", outcome.Ideas.Count);
            return outcome;
        }
        catch (Exception exception) when (exception is LlmUnavailableException or InvalidLlmOutputException)
        {
            span.Failed(exception);
            throw;
        }
    }

    private JobResult Degrade(GenerationContext context, string reason, Exception exception)
    {
        LogDegraded(logger, context.Job.Id, context.Job.Attempts, reason, exception.Message);
        metrics.Degraded(reason);
        return new JobResult.Complete(CatalogFallback.Build(context));
    }

    /// <summary>Writes <paramref name="result"/> and records it on the attempt's span, <paramref name="processing"/>.</summary>
    private async Task FinishAsync(BinkoDbContext db, Binko.Data.Entities.Generation job, JobResult result, Activity? processing,
        CancellationToken stoppingToken, CancellationToken cancellationToken)
    {
        using var span = GenerationTracing.StartStep(GenerationTracing.StoreSpanName);
        switch (result)
        {
            case JobResult.Complete(var outcome, var cacheKey):
                if (!await GenerationQueue.CompleteAsync(db, job, outcome, cancellationToken))
                {
                    LogAbandoned(logger, job.Id);
                    processing.SetOutcome("lease_lost");
                    return;
                }
                processing.Completed(outcome);
                metrics.Completed(outcome.Model, outcome.Degraded, time.GetUtcNow() - job.CreatedAt);
                LogCompleted(logger, job.Id, outcome.Model, outcome.Ideas.Count, outcome.Degraded);
                if (cacheKey is not null)
                    await cache.WriteAsync(cacheKey, outcome);
                return;

            case JobResult.Retry(var reason):
                var delay = JobBackoff.Delay(job.Attempts, Options.RetryBaseDelayMs);
                if (!await GenerationQueue.RetryLaterAsync(db, job, delay, cancellationToken))
                {
                    processing.SetOutcome("lease_lost");
                    return;
                }
                processing.Failed("retry", reason);
                metrics.Retried(reason);
                signal.WakeAfter(delay, stoppingToken);
                return;

            case JobResult.Fail(var errorCode):
                if (!await GenerationQueue.FailAsync(db, job, errorCode, cancellationToken))
                {
                    processing.SetOutcome("lease_lost");
                    return;
                }
                processing.Failed("failed", errorCode);
                metrics.Failed(errorCode);
                LogFailed(logger, job.Id, errorCode);
                return;
        }
    }

    /// <summary>Writes <paramref name="result"/> after the attempt itself failed, with a fresh context and a short grace.</summary>
    private async Task FinishAfterErrorAsync(Binko.Data.Entities.Generation job, JobResult result, Activity? processing,
        CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BinkoDbContext>();
            using var timeout = new CancellationTokenSource(WriteGrace);
            await FinishAsync(db, job, result, processing, stoppingToken, timeout.Token);
        }
        catch (Exception exception) when (TransientErrors.IsInfrastructure(exception) || exception is OperationCanceledException)
        {
            // Still unreachable: the lease runs out and another attempt claims the job.
            LogTransient(logger, job.Id, job.Attempts, exception.GetType().Name, exception.Message);
        }
    }

    /// <summary>Shutdown: the job goes back to the queue now, rather than waiting for its lease to run out.</summary>
    private async Task PutBackAsync(Binko.Data.Entities.Generation job)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BinkoDbContext>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            if (await GenerationQueue.RetryLaterAsync(db, job, TimeSpan.Zero, timeout.Token))
                LogPutBack(logger, job.Id);
            else
                LogAbandoned(logger, job.Id);
        }
        catch (Exception exception) when (TransientErrors.IsInfrastructure(exception) || exception is OperationCanceledException)
        {
            LogTransient(logger, job.Id, job.Attempts, exception.GetType().Name, "left to its lease");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation {JobId} completed by {Model} with {Count} idea(s), degraded: {Degraded}")]
    private static partial void LogCompleted(ILogger logger, Guid jobId, string model, int count, bool degraded);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {JobId} failed for good: {ErrorCode}")]
    private static partial void LogFailed(ILogger logger, Guid jobId, string errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {JobId} has an invalid request: {Error}")]
    private static partial void LogInvalidRequest(ILogger logger, Guid jobId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {JobId} attempt {Attempt}: LLM unavailable ({Reason}); retrying later")]
    private static partial void LogLlmUnavailable(ILogger logger, Guid jobId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {JobId} attempt {Attempt}: invalid LLM output after the repair call ({Problems}); retrying later")]
    private static partial void LogInvalidOutput(ILogger logger, Guid jobId, int attempt, string problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {JobId} attempt {Attempt} degraded to catalog ideas ({Reason}): {Error}")]
    private static partial void LogDegraded(ILogger logger, Guid jobId, int attempt, string reason, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {JobId} attempt {Attempt}: transient error {Error} ({Detail})")]
    private static partial void LogTransient(ILogger logger, Guid jobId, int attempt, string error, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation {JobId}: this claim no longer holds the lease; nothing written")]
    private static partial void LogAbandoned(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Generation {JobId} failed with an unexpected error")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation {JobId} put back in the queue on shutdown")]
    private static partial void LogPutBack(ILogger logger, Guid jobId);
}
