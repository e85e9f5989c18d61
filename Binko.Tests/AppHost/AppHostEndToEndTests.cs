using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.AppHost.Orchestration;
using Binko.AppHost.Testing;
using Binko.Tests.Infrastructure;
using AppHostProgram = Binko.AppHost.Program;

namespace Binko.Tests.AppHost;

/// <summary>The whole system, started from the AppHost's own app model as a user's `dotnet run` would.</summary>
public sealed class AppHostEndToEndTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Whole_system_starts_healthy_serves_the_catalog_and_stopping_leaves_no_process()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(StartDeadline);
        var builder = DistributedApplicationTestingBuilder.Create(AppHostProgram.CreateBuilder);
        var dataDirectory = DistributedApplicationTestingBuilder.GetDataDirectory(builder);
        var app = builder.Build();

        List<ResourceSnapshot> snapshots;
        try
        {
            await StartOrExplainAsync(app, deadline.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("api", deadline.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("generation-worker", deadline.Token);

            using var http = app.CreateHttpClient("api");
            using var health = await http.GetAsync("/health", deadline.Token);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            using (var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync(deadline.Token)))
                Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());

            using var alive = await http.GetAsync("/alive", deadline.Token);
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

            // The catalog answers through the api, from the schema and seed it applied at start-up.
            using var ideas = await http.GetAsync("/api/v1/ideas?limit=3", deadline.Token);
            Assert.Equal(HttpStatusCode.OK, ideas.StatusCode);
            using (var page = JsonDocument.Parse(await ideas.Content.ReadAsStringAsync(deadline.Token)))
                Assert.NotEqual(0, page.RootElement.GetProperty("items").GetArrayLength());

            // A generation goes through the worker (the offline generator: no llm is configured).
            using var generated = await http.PostAsJsonAsync("/api/v1/generate",
                new { profile = new { experience_level = "beginner", skills = new[] { "python" } }, num_ideas = 3 }, deadline.Token);
            Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
            using (var generation = JsonDocument.Parse(await generated.Content.ReadAsStringAsync(deadline.Token)))
            {
                Assert.Equal("completed", generation.RootElement.GetProperty("status").GetString());
                Assert.Equal("binko-offline", generation.RootElement.GetProperty("model").GetString());
                Assert.Equal(3, generation.RootElement.GetProperty("ideas").GetArrayLength());
            }

            using var workerHttp = app.CreateHttpClient("generation-worker");
            using var workerHealth = await workerHttp.GetAsync("/health", deadline.Token);
            Assert.Equal(HttpStatusCode.OK, workerHealth.StatusCode);

            snapshots = [.. app.GetResourceSnapshots()];
            Assert.All(snapshots, s => Assert.Equal(ResourceState.Running, s.State));
            Assert.All(snapshots, s => Assert.Equal(HealthStatus.Healthy, s.Health));
            Assert.Contains(snapshots, s => s.Name == "api-0" && s.ProcessId is not null);
            Assert.Contains(snapshots, s => s.Name == "generation-worker-0" && s.ProcessId is not null);
            Assert.Contains(snapshots, s => s.Name == "postgres" && s.ProcessId is not null);
            Assert.NotEmpty(app.GetResourceLogs("api-0"));

            // The configuration Aspire would give them (DESIGN.md), read from the running processes themselves.
            var api = ProcessTable.Environment(snapshots.Single(s => s.Name == "api-0").ProcessId!.Value);
            var worker = ProcessTable.Environment(snapshots.Single(s => s.Name == "generation-worker-0").ProcessId!.Value);
            Assert.Matches(@"^Host=127\.0\.0\.1;Port=\d+;Username=postgres;Password=[^;]+;Database=binkodb$", api["ConnectionStrings__binkodb"]);
            Assert.Matches(@"^127\.0\.0\.1:\d+,password=[^,]+$", api["ConnectionStrings__redis"]);
            Assert.Equal(api["ConnectionStrings__binkodb"], worker["ConnectionStrings__binkodb"]);
            Assert.Equal(api["ConnectionStrings__redis"], worker["ConnectionStrings__redis"]);
            Assert.Equal(app.GetEndpoint("api").ToString().TrimEnd('/'), worker["services__api__http__0"]);
            Assert.Equal(app.GetEndpoint("api").ToString().TrimEnd('/'), api["ASPNETCORE_URLS"]);
            Assert.Equal("Development", api["ASPNETCORE_ENVIRONMENT"]);
            Assert.Equal("true", api["Database__ApplyMigrations"]);
            Assert.Equal("api", api["OTEL_SERVICE_NAME"]);
            Assert.Equal("generation-worker", worker["OTEL_SERVICE_NAME"]);
            Assert.StartsWith("service.instance.id=", api["OTEL_RESOURCE_ATTRIBUTES"], StringComparison.Ordinal);
            Assert.False(worker.ContainsKey("ConnectionStrings__llm"), "llm is not configured, so it is not passed on");
            Assert.False(api.ContainsKey("DOTNET_LAUNCH_PROFILE"));
            Assert.Equal(Environment.GetEnvironmentVariable("PATH"), api["PATH"]);
        }
        finally
        {
            await app.DisposeAsync();
        }

        var processIds = snapshots.Where(s => s.ProcessId is not null).Select(s => s.ProcessId!.Value).ToList();
        Assert.All(processIds, pid => Assert.False(ProcessTable.IsAlive(pid), $"process {pid} of the run is still running"));
        Assert.Empty(ProcessTable.CommandLinesContaining(dataDirectory));
        Assert.False(Directory.Exists(dataDirectory), $"{dataDirectory} was not deleted");
    }

    /// <summary>On failure, the resources' recent output is the useful part of the message.</summary>
    private static async Task StartOrExplainAsync(global::Binko.AppHost.Hosting.DistributedApplication app, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            var logs = string.Join(Environment.NewLine, app.GetResourceSnapshots().Select(s =>
                $"--- {s.Name}: {s.State} {s.Error}{Environment.NewLine}" +
                string.Join(Environment.NewLine, app.GetResourceLogs(s.Name).TakeLast(30).Select(l => l.Text))));
            throw new InvalidOperationException($"The AppHost did not start: {ex.Message}{Environment.NewLine}{logs}", ex);
        }
    }
}
