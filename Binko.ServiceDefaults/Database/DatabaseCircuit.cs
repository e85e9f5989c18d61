using System.Data.Common;
using Npgsql;
using Polly;
using Polly.CircuitBreaker;

namespace Binko.ServiceDefaults.Database;

/// <summary>
/// Polly's circuit breaker in front of Postgres, shared by every database call of the process (EF Core's execution
/// strategy runs each attempt through it, <see cref="CircuitBreakingExecutionStrategy"/>). It opens two ways:
/// <list type="bullet">
/// <item>when at least half of the attempts of the last seconds (two or more) failed to reach the database, for
/// <see cref="DatabaseCircuitOptions.BreakSeconds"/>, after which one attempt tries again (Polly's half-open state);</item>
/// <item>when <see cref="ProbeFailuresToOpen"/> probes in a row got no answer within
/// <see cref="DatabaseCircuitOptions.ProbeTimeoutMs"/>: a frozen database fails nothing, its calls only hang, so the
/// probe is what notices it. It stays open until a probe is answered.</item>
/// </list>
/// Either way, a probe that is answered closes it. While it is open every attempt fails at once with
/// <see cref="DatabaseUnavailableException"/>.
/// </summary>
public sealed class DatabaseCircuit
{
    public const int ProbeFailuresToOpen = 2;

    private readonly CircuitBreakerStateProvider _state = new();
    private readonly CircuitBreakerManualControl _control = new();
    private readonly ResiliencePipeline _pipeline;
    private readonly string _connectionString;
    private int _probeFailures;

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
                ManualControl = _control,
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

    /// <summary>What a caller turned away should wait: the break duration, about when the circuit is tried again.</summary>
    public TimeSpan RetryAfter => TimeSpan.FromSeconds(Options.BreakSeconds);

    public T Execute<T>(Func<T> operation)
    {
        try
        {
            return _pipeline.Execute(operation);
        }
        catch (BrokenCircuitException broken)
        {
            throw Unavailable(broken);
        }
    }

    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token => await operation(token), cancellationToken);
        }
        catch (BrokenCircuitException broken)
        {
            throw Unavailable(broken);
        }
    }

    private DatabaseUnavailableException Unavailable(BrokenCircuitException broken) =>
        new(broken.RetryAfter ?? RetryAfter, broken);

    /// <summary>One probe (<see cref="DatabaseProbe"/> runs them): <see cref="PingAsync"/> around the circuit, then opens
    /// or closes it as the class says.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PingAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is DbException or TimeoutException)
        {
            if (++_probeFailures >= ProbeFailuresToOpen && _state.CircuitState != CircuitState.Isolated)
                await _control.IsolateAsync(cancellationToken);
            return;
        }
        _probeFailures = 0;
        if (!IsClosed)
            await _control.CloseAsync(cancellationToken);
    }

    /// <summary><c>SELECT 1</c>, failing with <see cref="TimeoutException"/> after
    /// <see cref="DatabaseCircuitOptions.ProbeTimeoutMs"/> however long the database takes to notice the cancellation.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var budget = TimeSpan.FromMilliseconds(Options.ProbeTimeoutMs);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(budget);
        try
        {
            // WaitAsync as well: a frozen server does not answer the cancellation either.
            await SelectOneAsync(timeout.Token).WaitAsync(budget, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The database did not answer within {budget.TotalMilliseconds:0} ms.");
        }
    }

    private async Task SelectOneAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>Failures that say the database cannot be reached or does not answer; a constraint violation or a bad
    /// query is the caller's problem and leaves the circuit alone.</summary>
    private static bool IsUnavailability(Exception exception) => exception switch
    {
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException => true,
        DbException { InnerException: { } inner } => IsUnavailability(inner),
        _ => false,
    };
}
