using System.Data.Common;
using Npgsql;
using Polly;
using Polly.CircuitBreaker;

namespace Binko.ServiceDefaults.Database;

/// <summary>
/// Polly's circuit breaker in front of Postgres, shared by every database call of the process (EF Core's execution
/// strategy runs each attempt through it, <see cref="CircuitBreakingExecutionStrategy"/>) and by the probe. When most
/// recent attempts fail with a connection-level error or a probe times out, it opens: calls fail at once with
/// <see cref="DatabaseUnavailableException"/> for <see cref="DatabaseCircuitOptions.BreakSeconds"/>, then one call (a
/// probe or a request) tries the database and closes it again.
/// </summary>
public sealed class DatabaseCircuit
{
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly ResiliencePipeline _pipeline;
    private readonly string _connectionString;

    public DatabaseCircuit(DatabaseCircuitOptions options, string connectionString)
    {
        Options = options;
        _connectionString = connectionString;
        _pipeline = new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromSeconds(Math.Max(5, options.BreakSeconds)),
                BreakDuration = TimeSpan.FromSeconds(options.BreakSeconds),
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsUnavailability),
                StateProvider = _state,
            })
            .Build();
    }

    public DatabaseCircuitOptions Options { get; }

    /// <summary>"closed", "open" or "half-open", as health and the admin status report it.</summary>
    public string State => _state.CircuitState switch
    {
        CircuitState.Open or CircuitState.Isolated => "open",
        CircuitState.HalfOpen => "half-open",
        _ => "closed",
    };

    public bool IsClosed => _state.CircuitState == CircuitState.Closed;

    /// <summary>What a caller turned away should wait: the break duration, the longest the circuit stays open.</summary>
    public TimeSpan RetryAfter => TimeSpan.FromSeconds(Options.BreakSeconds);

    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token => await operation(token), cancellationToken);
        }
        catch (BrokenCircuitException broken)
        {
            throw new DatabaseUnavailableException(broken.RetryAfter ?? RetryAfter, broken);
        }
    }

    /// <summary><c>SELECT 1</c> through the circuit, failing with <see cref="TimeoutException"/> after
    /// <see cref="DatabaseCircuitOptions.ProbeTimeoutMs"/> however long the database takes to notice the cancellation.</summary>
    public Task ProbeAsync(CancellationToken cancellationToken) => ExecuteAsync(async token =>
    {
        var budget = TimeSpan.FromMilliseconds(Options.ProbeTimeoutMs);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(budget);
        try
        {
            // WaitAsync as well: a frozen server does not answer the cancellation either.
            return await SelectOneAsync(timeout.Token).WaitAsync(budget, token);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            throw new TimeoutException($"The database did not answer within {budget.TotalMilliseconds:0} ms.");
        }
    }, cancellationToken);

    private async Task<bool> SelectOneAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancellationToken);
        return true;
    }

    /// <summary>Failures that say the database cannot be reached or does not answer; a constraint violation or a bad
    /// query is the caller's problem and leaves the circuit alone.</summary>
    public static bool IsUnavailability(Exception exception) => exception switch
    {
        DatabaseUnavailableException => false,
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException => true,
        DbException { InnerException: { } inner } => IsUnavailability(inner),
        _ => false,
    };
}
