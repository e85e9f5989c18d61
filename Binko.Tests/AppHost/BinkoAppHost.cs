using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Binko.Tests.Infrastructure;
using Binko.Tests.Infrastructure.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Binko.Tests.AppHost;

/// <summary>
/// Binko as <c>dotnet run --project Binko.AppHost</c> starts it, through Aspire.Hosting.Testing: the real AppHost, and
/// DCP running Postgres, Redis, the api and the worker as processes, on free ports, with its own data directory.
/// It keeps every resource instance's latest state and every resource's console output.
/// </summary>
internal sealed class BinkoAppHost : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly ConcurrentDictionary<string, ResourceEvent> _latest = new();
    private readonly ResourceOutput _output;
    private readonly CancellationTokenSource _watching = new();
    private readonly Task _watch;
    private readonly Lazy<HttpClient> _dashboard;

    private BinkoAppHost(DistributedApplication app, string dataDirectory, ResourceOutput output)
    {
        App = app;
        DataDirectory = dataDirectory;
        _output = output;
        _watch = WatchAsync();
        _dashboard = new(() => new HttpClient
        {
            BaseAddress = App.GetEndpoint("aspire-dashboard", "http"),
            // The AppHost generates the key of the dashboard's telemetry API and gives it to the dashboard's process.
            DefaultRequestHeaders = { { "x-api-key", ProcessTable.Environment(Pid(Single("aspire-dashboard")))["DASHBOARD__API__PRIMARYAPIKEY"] } },
        });
    }

    public DistributedApplication App { get; }
    public string DataDirectory { get; }

    /// <summary>The Aspire dashboard (where the tests' port randomisation put it), with the key of its telemetry API.</summary>
    public HttpClient Dashboard => _dashboard.Value;

    /// <summary>
    /// Builds and starts the AppHost on <paramref name="dataDirectory"/> and returns once the worker, which waits for
    /// everything else, is healthy. The servers skip fsync (<c>AppHost:Durable=false</c>): these are throw-away runs. The
    /// api gets a free port, so a Binko a developer runs on 5080 does not get in the way. The dashboard runs too, as it
    /// does for a user (the services send their telemetry to it, and stop as fast as they do for a user), on free ports.
    /// <paramref name="arguments"/> are more of the AppHost's settings, as a user gives them after <c>--</c>.
    /// </summary>
    public static async Task<BinkoAppHost> StartAsync(string dataDirectory, CancellationToken cancellationToken, params string[] arguments)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Binko_AppHost>(
            [
                $"--AppHost:DataDirectory={dataDirectory}", "--AppHost:Durable=false", "--Ports:Api=0",
                $"--ASPNETCORE_URLS=http://127.0.0.1:{FreePort.Get()}", $"--DOTNET_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort.Get()}",
                .. arguments,
            ],
            (options, _) => options.DisableDashboard = false,
            deadline.Token);
        var output = new ResourceOutput(TestContext.Current.TestOutputHelper);
        builder.Services.AddLogging(logging => logging.AddProvider(output));
        var app = await builder.BuildAsync(deadline.Token);
        var host = new BinkoAppHost(app, dataDirectory, output);
        try
        {
            await app.StartAsync(deadline.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("generation-worker", deadline.Token);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    /// <summary>A new data directory that the 'postgres' account, which runs the server when the tests run as root, can enter.</summary>
    public static string NewDataDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("binko-apphost-test-");
        directory.UnixFileMode |= UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return Path.Combine(directory.FullName, "data");
    }

    /// <summary>The latest state of every instance of the resource (a replica each; one for most resources).</summary>
    public IReadOnlyList<CustomResourceSnapshot> Instances(string resource) =>
        [.. _latest.Values.Where(e => e.Resource.Name == resource).Select(e => e.Snapshot)];

    public CustomResourceSnapshot Single(string resource) => Assert.Single(Instances(resource));

    /// <summary>The process DCP tracks for a resource instance (for a project, the `dotnet run` that runs it).</summary>
    public static int Pid(CustomResourceSnapshot snapshot) =>
        Convert.ToInt32(snapshot.Properties.Single(p => p.Name == "executable.pid").Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The lines the resource (all its replicas) has printed so far.</summary>
    public IReadOnlyList<string> Output(string resource) => _output.Lines(resource);

    public async Task StopAsync(CancellationToken cancellationToken) => await App.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (_dashboard.IsValueCreated)
            _dashboard.Value.Dispose();
        await _watching.CancelAsync();
        await _watch;
        _watching.Dispose();
    }

    private async Task WatchAsync()
    {
        try
        {
            await foreach (var update in App.ResourceNotifications.WatchAsync(_watching.Token))
                _latest[update.ResourceId] = update;
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    /// <summary>
    /// Aspire.Hosting.Testing logs each resource's console output under the category "Binko.AppHost.Resources.{name}":
    /// kept per resource, and copied to the test's output.
    /// </summary>
    private sealed class ResourceOutput(ITestOutputHelper? testOutput) : ILoggerProvider
    {
        private const string Prefix = "Binko.AppHost.Resources.";
        private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lines = new();

        public IReadOnlyList<string> Lines(string resource) => _lines.TryGetValue(resource, out var lines) ? [.. lines] : [];

        public ILogger CreateLogger(string categoryName) =>
            categoryName.StartsWith(Prefix, StringComparison.Ordinal) ? new ResourceLogger(this, categoryName[Prefix.Length..]) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }

        private void Add(string resource, string line)
        {
            _lines.GetOrAdd(resource, _ => new()).Enqueue(line);
            try
            {
                testOutput?.WriteLine($"{resource}: {line}");
            }
            catch (InvalidOperationException)
            {
                // xunit refuses output once the test is over (shutdown lines during DisposeAsync).
            }
        }

        private sealed class ResourceLogger(ResourceOutput output, string resource) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                output.Add(resource, formatter(state, exception));
        }
    }
}
