using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace Binko.Api.RateLimiting;

/// <summary>One counter of a decision: a key (without its window index), its window and its limit.</summary>
public readonly record struct WindowCounter(RedisKey Key, int WindowSeconds, int PermitLimit);

/// <summary>What Redis said: allowed or not, and for each counter the requests used in its window and the seconds until it resets.</summary>
public sealed record WindowCounts(bool Allowed, int[] Used, int[] ResetSeconds);

/// <summary>
/// Fixed-window counters in Redis, shared by every API replica: one atomic Lua script per decision (one round trip),
/// windows cut by Redis' own clock (<c>TIME</c>), so replicas with skewed clocks still agree. A request counts only when
/// every counter it touches (its policy's window, and a guest's daily window) still has room.
/// Calls go through a Polly pipeline: a timeout, and a circuit breaker that stops the limiter from waiting on Redis for
/// every request while Redis is down; the caller then decides in-process (<see cref="IsBroken"/>, null results).
/// </summary>
public sealed partial class RedisWindowCounter
{
    // KEYS[i]: a counter's key without its window index (all of one partition share a {hash tag}, so one cluster slot);
    // ARGV[2i-1], ARGV[2i]: its window in seconds and its limit.
    // Returns {allowed, used_1, reset_1, used_2, reset_2, ...}.
    private const string Script = """
        local now = tonumber(redis.call('TIME')[1])
        local result = {1}
        local keys = {}
        for i = 1, #KEYS do
          local window = tonumber(ARGV[2 * i - 1])
          local limit = tonumber(ARGV[2 * i])
          local index = math.floor(now / window)
          keys[i] = KEYS[i] .. ':' .. index
          local used = tonumber(redis.call('GET', keys[i]) or '0')
          if used >= limit then result[1] = 0 end
          result[2 * i] = used
          result[2 * i + 1] = (index + 1) * window - now
        end
        if result[1] == 1 then
          for i = 1, #KEYS do
            local used = redis.call('INCR', keys[i])
            if used == 1 then redis.call('EXPIRE', keys[i], tonumber(ARGV[2 * i - 1]) + 1) end
            result[2 * i] = used
          end
        end
        return result
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _breaker = new();
    private readonly TimeProvider _time;
    private long _lastFallbackTimestamp;

    public RedisWindowCounter(IConnectionMultiplexer redis, IOptions<RateLimitingOptions> options, TimeProvider time, ILogger<RedisWindowCounter> logger)
    {
        _redis = redis;
        _time = time;
        var settings = options.Value;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = TimeSpan.FromSeconds(settings.BreakSeconds),
                ShouldHandle = new PredicateBuilder().Handle<RedisException>().Handle<TimeoutException>().Handle<TimeoutRejectedException>(),
                StateProvider = _breaker,
                OnOpened = _ => { LogBreakerOpened(logger, settings.BreakSeconds); return default; },
                OnClosed = _ => { LogBreakerClosed(logger); return default; },
            })
            .AddTimeout(TimeSpan.FromMilliseconds(settings.RedisTimeoutMs))
            .Build();
    }

    /// <summary>Degraded: the breaker is not closed, or a decision fell back to in-process limits in the last 10 s.</summary>
    public bool IsDegraded => _breaker.CircuitState != CircuitState.Closed ||
        (Interlocked.Read(ref _lastFallbackTimestamp) is var last and not 0 && _time.GetElapsedTime(last) < TimeSpan.FromSeconds(10));

    /// <summary>Counts one request against every counter, or returns null when Redis cannot decide (down, slow, breaker open).</summary>
    public async ValueTask<WindowCounts?> TryHitAsync(WindowCounter[] counters, CancellationToken cancellationToken)
    {
        var keys = new RedisKey[counters.Length];
        var arguments = new RedisValue[counters.Length * 2];
        for (var i = 0; i < counters.Length; i++)
        {
            keys[i] = counters[i].Key;
            arguments[2 * i] = counters[i].WindowSeconds;
            arguments[2 * i + 1] = counters[i].PermitLimit;
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        Outcome<RedisResult> outcome;
        try
        {
            outcome = await _pipeline.ExecuteOutcomeAsync(static async (context, state) =>
        {
            try
            {
                // SE.Redis ignores cancellation; WaitAsync lets the timeout strategy give up on a stuck call.
                var result = await state.Redis.GetDatabase().ScriptEvaluateAsync(Script, state.Keys, state.Arguments)
                    .WaitAsync(context.CancellationToken);
                return Outcome.FromResult(result);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException or OperationCanceledException)
            {
                return Outcome.FromException<RedisResult>(exception);
            }
            }, context, (Redis: _redis, Keys: keys, Arguments: arguments));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (outcome.Exception is not null || outcome.Result is null)
        {
            if (outcome.Exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
                throw new OperationCanceledException(cancellationToken);
            MarkFallback();
            return null;
        }

        var values = (long[])outcome.Result!;
        var used = new int[counters.Length];
        var reset = new int[counters.Length];
        for (var i = 0; i < counters.Length; i++)
        {
            used[i] = (int)values[2 * i + 1];
            reset[i] = Math.Max(1, (int)values[2 * i + 2]);
        }
        return new WindowCounts(values[0] == 1, used, reset);
    }

    /// <summary>Records that a decision was made in-process (for <see cref="IsDegraded"/>).</summary>
    public void MarkFallback() => Interlocked.Exchange(ref _lastFallbackTimestamp, Math.Max(1, _time.GetTimestamp()));

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Redis is unavailable to the rate limiter: limits are enforced per replica, in-process, for at least {BreakSeconds} s")]
    private static partial void LogBreakerOpened(ILogger logger, int breakSeconds);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Redis answers the rate limiter again: limits are shared across replicas")]
    private static partial void LogBreakerClosed(ILogger logger);
}
