using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Binko.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Binko.Tests.AppHost;

/// <summary>The whole system started by the real AppHost, as `dotnet run --project Binko.AppHost` starts it.</summary>
[Collection(AppHostCollection.Name)]
public sealed class AppHostEndToEndTests(RunningBinko binko) : IClassFixture<RunningBinko>
{
    private BinkoAppHost Host => binko.Host;

    [Fact]
    public void Every_resource_the_dashboard_lists_is_running_and_healthy()
    {
        foreach (var resource in new[] { "postgres", "binkodb", "redis", "api", "generation-worker" })
        {
            var snapshot = Host.Single(resource);
            Assert.True(snapshot.State?.Text == KnownResourceStates.Running, $"{resource} is {snapshot.State?.Text}");
            Assert.True(snapshot.HealthStatus == HealthStatus.Healthy, $"{resource} is {snapshot.HealthStatus}");
        }

        // initdb ran once, on the empty data directory, and the server waited for it to finish.
        var init = Host.Single("postgres-init");
        Assert.Equal(KnownResourceStates.Finished, init.State?.Text);
        Assert.Equal(0, init.ExitCode);
        Assert.Contains(Host.Output("postgres"), line => line.Contains("Finished waiting for resource 'postgres-init'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Api_serves_health_the_catalog_and_a_generation_made_by_the_worker()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = Host.App.CreateHttpClient("api");

        using (var health = JsonDocument.Parse(await api.GetStringAsync("/health", ct)))
            Assert.Equal("Healthy", health.RootElement.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/alive", ct)).StatusCode);

        // The catalog comes from the schema and seed the api applied at start-up.
        using (var page = JsonDocument.Parse(await api.GetStringAsync("/api/v1/ideas?limit=3", ct)))
            Assert.Equal(3, page.RootElement.GetProperty("items").GetArrayLength());

        // The worker asks the LLM configured for the AppHost (the fake one in the test process) for the ideas.
        using var generated = await api.PostAsJsonAsync("/api/v1/generate",
            new { profile = new { experience_level = "beginner", skills = new[] { "python" } }, num_ideas = 3 }, ct);
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
        using var generation = JsonDocument.Parse(await generated.Content.ReadAsStringAsync(ct));
        Assert.Equal("completed", generation.RootElement.GetProperty("status").GetString());
        Assert.Equal(binko.Llm.Model, generation.RootElement.GetProperty("model").GetString());
        Assert.Contains(binko.Llm.Requests, request => request.AllText.Contains("python", StringComparison.Ordinal));
        Assert.Equal(3, generation.RootElement.GetProperty("ideas").GetArrayLength());

        using var worker = Host.App.CreateHttpClient("generation-worker");
        Assert.Equal(HttpStatusCode.OK, (await worker.GetAsync("/health", ct)).StatusCode);
    }

    [Fact]
    public async Task Projects_get_their_connections_through_references_and_the_AppHost_environment()
    {
        var api = ProcessTable.Environment(BinkoAppHost.Pid(Host.Single("api")));
        var worker = ProcessTable.Environment(BinkoAppHost.Pid(Host.Single("generation-worker")));

        Assert.Matches(@"^Host=127\.0\.0\.1;Port=\d+;Username=postgres;Password=[A-Za-z0-9]{22,};Database=binkodb$", api["ConnectionStrings__binkodb"]);
        Assert.Matches(@"^127\.0\.0\.1:\d+,password=[A-Za-z0-9]{22,}$", api["ConnectionStrings__redis"]);
        Assert.Equal(api["ConnectionStrings__binkodb"], worker["ConnectionStrings__binkodb"]);
        Assert.Equal(api["ConnectionStrings__redis"], worker["ConnectionStrings__redis"]);
        Assert.Equal((await Host.App.GetConnectionStringAsync("binkodb", TestContext.Current.CancellationToken)), api["ConnectionStrings__binkodb"]);
        Assert.Equal(Host.App.GetEndpoint("api", "http").ToString().TrimEnd('/'), worker["services__api__http__0"].TrimEnd('/'));

        Assert.Equal("true", api["Database__ApplyMigrations"]);
        Assert.False(worker.ContainsKey("Database__ApplyMigrations"), "only the api migrates");
        // The worker gets the LLM's connection string; the api only the model's name, a part of the response-cache key.
        // It gets ConnectionStrings__llm blank, so that a connection string in the AppHost's environment, which it would
        // inherit, does not reach it either: its environment holds the key nowhere.
        Assert.Equal(binko.LlmConnectionString, worker["ConnectionStrings__llm"]);
        Assert.Equal(binko.Llm.Model, api["Generation__Model"]);
        Assert.Equal("", api["ConnectionStrings__llm"]);
        Assert.DoesNotContain(binko.LlmKey, await File.ReadAllTextAsync($"/proc/{BinkoAppHost.Pid(Host.Single("api"))}/environ", TestContext.Current.CancellationToken));
        Assert.All(new[] { api, worker }, environment =>
        {
            Assert.Equal("Development", environment["ASPNETCORE_ENVIRONMENT"]);
            Assert.Equal(binko.InheritedValue, environment[RunningBinko.InheritedSetting]);
            // Only the connection strings carry the passwords: no BINKODB_PASSWORD, REDIS_URI and the like.
            Assert.DoesNotContain(environment.Keys, key => key.StartsWith("BINKODB_", StringComparison.Ordinal) || key.StartsWith("REDIS_", StringComparison.Ordinal));
        });
        Assert.Equal("api", api["OTEL_SERVICE_NAME"]);
        Assert.Equal("generation-worker", worker["OTEL_SERVICE_NAME"]);
    }

    [Fact]
    public void Generated_passwords_are_kept_in_the_data_directory_and_on_no_command_line()
    {
        var parametersFile = Path.Combine(Host.DataDirectory, "parameters.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(parametersFile));
        var parameters = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(parametersFile))!;
        Assert.Equal(["postgres-password", "redis-password"], parameters.Keys.Order());

        foreach (var password in parameters.Values)
            Assert.Empty(ProcessTable.CommandLinesContaining(password));
        // redis.conf, or garnet.conf where redis-server is not installed: it holds the password.
        var redisConfig = Assert.Single(Directory.GetFiles(Path.Combine(Host.DataDirectory, "redis"), "*.conf"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(redisConfig));
        Assert.False(File.Exists(Path.Combine(Host.DataDirectory, "postgres", "initdb-password")), "initdb's password file outlived initdb");
        Assert.True(File.Exists(Path.Combine(Host.DataDirectory, "postgres", "pgdata", "PG_VERSION")));
    }

    [Fact]
    public async Task The_services_send_their_telemetry_to_the_dashboard_and_a_generation_is_one_trace()
    {
        var ct = TestContext.Current.CancellationToken;
        // A client that sends no trace context, as a browser or curl: the api's request is the trace's root. (HttpClient
        // would send this process's whenever another test's in-process service traces HTTP clients; without a
        // propagator the handler has no diagnostics step at all, so OpenTelemetry's instrumentation cannot add one.)
        using var api = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null })
        {
            BaseAddress = Host.App.GetEndpoint("api", "http"),
        };
        // A profile no other test uses, so the worker makes it rather than the response cache answering.
        using var queued = await api.PostAsJsonAsync("/api/v1/generations",
            new { profile = new { experience_level = "advanced", skills = new[] { $"skill{Guid.NewGuid():N}"[..20] } }, num_ideas = 2 }, ct);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        using var body = JsonDocument.Parse(await queued.Content.ReadAsStringAsync(ct));
        var id = body.RootElement.GetProperty("id").GetString();

        // The worker's span for the job, once the services' exporters have sent it (they batch for about a second).
        var processing = await Eventually.ReturnsAsync(
            async () => (await Host.Dashboard.SpansAsync("resource=generation-worker", ct)).FirstOrDefault(span => span.Name == "process generations" && span.Attributes.GetValueOrDefault("messaging.message.id") == id),
            span => span is not null, TimeSpan.FromSeconds(60), "the worker's processing span on the dashboard");
        // One trace: the api's request (its exporter may send it a little later), then the worker's processing of the
        // job it queued.
        var trace = await Eventually.ReturnsAsync(() => Host.Dashboard.SpansAsync($"traceId={processing!.TraceId}", ct),
            spans => spans.Any(span => span.Service == "api"), TimeSpan.FromSeconds(60), "the api's spans in the worker's trace");
        var request = Assert.Single(trace, span => span.Service == "api" && span.ParentSpanId == "");
        Assert.Contains(trace, span => span.Service == "generation-worker" && span.Name == "store generation result");
        Assert.NotEqual("", processing!.ParentSpanId);
        Assert.StartsWith("POST", request.Name, StringComparison.Ordinal);
    }
}
