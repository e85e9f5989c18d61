using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Data;
using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.FakeLlm;

namespace Binko.Tests.Generation;

/// <summary>
/// A test's own migrated database, optionally a fake LLM, and generation workers on them (in memory), with settings
/// small enough for fast tests: short polls, heartbeats, back-offs and timeouts.
/// </summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    private readonly List<WorkerFactory> _workers = [];

    private WorkerHarness(TestInfrastructure infrastructure, string database, FakeLlmServer? llm)
    {
        Infrastructure = infrastructure;
        Database = database;
        Llm = llm;
    }

    public TestInfrastructure Infrastructure { get; }
    public string Database { get; }
    public FakeLlmServer? Llm { get; }

    /// <summary>The model results carry: the fake's, or the offline generator's.</summary>
    public string Model => Llm?.Model ?? LlmConnection.OfflineModel;

    public static async Task<WorkerHarness> StartAsync(TestInfrastructure infrastructure, bool withLlm)
    {
        var database = await infrastructure.CreateMigratedDatabaseAsync();
        return new WorkerHarness(infrastructure, database, withLlm ? await FakeLlmServer.StartAsync() : null);
    }

    public Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = ServiceSettings.For(Infrastructure, Database);
        settings["Generation:PollSeconds"] = "0.5";
        settings["Generation:HeartbeatSeconds"] = "1";
        settings["Generation:LeaseSeconds"] = "10";
        settings["Generation:RetryBaseDelayMs"] = "50";
        settings["Generation:AttemptTimeoutSeconds"] = "2";
        settings["Generation:MaxRetryAfterSeconds"] = "3";
        settings["Generation:OutboundPermitsPerSecond"] = "1000";
        if (Llm is not null)
        {
            // As the AppHost does: the worker gets the connection string, the API only the model's name.
            settings["ConnectionStrings:llm"] = Llm.ConnectionString;
            settings["Generation:Model"] = Llm.Model;
        }
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            settings[key] = value;
        return settings;
    }

    /// <summary>Starts a worker (its host and background services) and returns it.</summary>
    public WorkerFactory StartWorker(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var worker = new WorkerFactory(Settings(overrides));
        _workers.Add(worker);
        _ = worker.Server; // builds and starts the host
        return worker;
    }

    public BinkoDbContext Db() => Infrastructure.CreateDbContext(Database);

    public async Task<Binko.Data.Entities.Generation> EnqueueAsync(GenerationRequest request, string? owner = null,
        DateOnly? quotaDay = null, string? rawRequest = null, string? plan = null)
    {
        await using var db = Db();
        return await GenerationJobs.EnqueueAsync(db, request, Model, owner, quotaDay, rawRequest, plan);
    }

    public async Task<Binko.Data.Entities.Generation?> FindAsync(Guid id)
    {
        await using var db = Db();
        return await GenerationJobs.FindAsync(db, id);
    }

    /// <summary>Waits until the job is completed or failed, and returns it with its ideas.</summary>
    public async Task<Binko.Data.Entities.Generation> FinishedAsync(Guid id, TimeSpan? timeout = null) =>
        (await Eventually.ReturnsAsync(() => FindAsync(id),
            job => job?.Status is GenerationStatus.Completed or GenerationStatus.Failed,
            timeout ?? TimeSpan.FromSeconds(30), $"generation {id} to finish"))!;

    /// <summary>The worker's /health checks by name.</summary>
    public static async Task<Dictionary<string, string>> HealthAsync(WorkerFactory worker)
    {
        using var client = worker.CreateClient();
        using var response = await client.GetAsync("/health");
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
            await worker.DisposeAsync();
        if (Llm is not null)
            await Llm.DisposeAsync();
    }
}
