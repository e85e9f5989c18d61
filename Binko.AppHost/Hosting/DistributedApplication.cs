using System.Runtime.InteropServices;
using Binko.AppHost.Dashboard;
using Binko.AppHost.Orchestration;
using Binko.AppHost.Publishing;

namespace Binko.AppHost.Hosting;

/// <summary>
/// The built application. <see cref="Run"/> does what <c>dotnet run --project Binko.AppHost</c> should: publish a
/// manifest when asked (<c>--publisher manifest</c>), otherwise start everything, print the URLs, and stop everything on
/// Ctrl+C or SIGTERM. Tests use <see cref="StartAsync"/>, <see cref="CreateHttpClient"/> and <see cref="DisposeAsync"/>.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly DistributedApplicationBuilder _builder;
    private readonly Lock _lock = new();
    private Orchestrator? _orchestrator;
    private DashboardServer? _dashboard;
    private bool _disposed;

    internal DistributedApplication(DistributedApplicationBuilder builder)
    {
        _builder = builder;
        ResourceNotifications = new ResourceNotificationService(this);
    }

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args);

    public DistributedApplicationExecutionContext ExecutionContext => _builder.ExecutionContext;
    public IReadOnlyList<IResource> Resources => _builder.Resources;
    public ResourceNotificationService ResourceNotifications { get; }

    /// <summary>The dashboard's address once started.</summary>
    public Uri? DashboardUrl { get; private set; }

    /// <summary>Runs until Ctrl+C or SIGTERM (or writes the manifest) and returns the process exit code.</summary>
    public int Run() => RunAsync().GetAwaiter().GetResult();

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if (ExecutionContext.IsPublishMode)
                return await PublishAsync(cancellationToken).ConfigureAwait(false);
            return await RunUntilStoppedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AppHostException ex)
        {
            await _builder.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Starts every resource in WaitFor order and returns once all are healthy; on failure stops what started and throws.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!ExecutionContext.IsRunMode)
            throw new InvalidOperationException("StartAsync is for run mode; this invocation publishes a manifest.");
        Orchestrator orchestrator;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_orchestrator is not null)
                throw new InvalidOperationException("The application has already been started.");
            var options = AppHostOptions.FromConfiguration(_builder.Configuration);
            // Resources write from many threads at once.
            orchestrator = _orchestrator = new Orchestrator(_builder.Resources, _builder.Configuration, options,
                TextWriter.Synchronized(_builder.Output), TextWriter.Synchronized(_builder.Error));
        }
        ResourceNotifications.OnStarting();
        try
        {
            await orchestrator.PrepareAsync().ConfigureAwait(false);
            _dashboard = await DashboardServer.StartAsync(orchestrator, orchestrator.DashboardPort, cancellationToken).ConfigureAwait(false);
            DashboardUrl = _dashboard.Url;
            await orchestrator.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Leave nothing behind, then let the caller see why it failed.
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops everything this application started; idempotent.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var orchestrator = _orchestrator;
        if (orchestrator is not null)
            await orchestrator.StopAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _dashboard, null) is { } dashboard)
            await dashboard.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The URL of a project's HTTP endpoint (its first replica), e.g. http://127.0.0.1:5080.</summary>
    public Uri GetEndpoint(string resourceName, string endpointName = "http")
    {
        if (endpointName != "http")
            throw new ArgumentException($"Only the 'http' endpoint exists in run mode, not '{endpointName}'.", nameof(endpointName));
        var instance = Instances(resourceName).FirstOrDefault(i => i.Endpoints.Count > 0)
                       ?? throw new InvalidOperationException($"Resource '{resourceName}' has no endpoint (has the application been started?).");
        return new Uri(instance.Endpoints[0]);
    }

    /// <summary>An HttpClient whose BaseAddress is the resource's HTTP endpoint, as Aspire.Hosting.Testing gives.</summary>
    public HttpClient CreateHttpClient(string resourceName, string endpointName = "http") =>
        new() { BaseAddress = GetEndpoint(resourceName, endpointName) };

    /// <summary>The state of every resource instance (api-0, api-1, postgres, ...).</summary>
    public IReadOnlyList<ResourceSnapshot> GetResourceSnapshots() =>
        _orchestrator?.Instances.Select(i => i.Snapshot()).ToList() ?? [];

    /// <summary>The recent console lines of one instance ("api-0", "postgres").</summary>
    public IReadOnlyList<ResourceLogLine> GetResourceLogs(string instanceName) =>
        _orchestrator?.Instances.FirstOrDefault(i => i.Name == instanceName)?.Log.Snapshot() ?? [];

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
        }
        await StopAsync().ConfigureAwait(false);
        if (_orchestrator is not null)
            await _orchestrator.DisposeAsync().ConfigureAwait(false);
        foreach (var callback in _builder.DisposeCallbacks)
            await callback().ConfigureAwait(false);
    }

    internal Orchestrator? Orchestrator => _orchestrator;

    internal IResource FindResource(string name) =>
        Resources.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"There is no resource named '{name}'. Resources: {string.Join(", ", Resources.Select(r => r.Name))}.", nameof(name));

    private IEnumerable<ResourceInstance> Instances(string resourceName)
    {
        var orchestrator = _orchestrator ?? throw new InvalidOperationException("The application has not been started.");
        return orchestrator.InstancesOf(FindResource(resourceName));
    }

    private async Task<int> PublishAsync(CancellationToken cancellationToken)
    {
        if (!string.Equals(ExecutionContext.PublisherName, "manifest", StringComparison.OrdinalIgnoreCase))
            throw new AppHostException($"Unknown publisher '{ExecutionContext.PublisherName}'; the only one is 'manifest' (--publisher manifest --output-path aspire-manifest.json).");
        var path = Path.GetFullPath(ExecutionContext.OutputPath is { Length: > 0 } output ? output : "aspire-manifest.json");
        await ManifestPublisher.WriteAsync(Resources, path, cancellationToken).ConfigureAwait(false);
        await _builder.Output.WriteLineAsync($"Wrote the deployment manifest to {path}").ConfigureAwait(false);
        return 0;
    }

    private async Task<int> RunUntilStoppedAsync(CancellationToken cancellationToken)
    {
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnSignal(PosixSignalContext context)
        {
            // Handled here: stop the children in order instead of the runtime's default exit.
            context.Cancel = true;
            _orchestrator?.BeginStop();
            shutdown.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);
        // Last resort when the process exits some other way (Environment.Exit from a library, an unhandled exception).
        EventHandler onProcessExit = (_, _) => StopAsync().Wait(TimeSpan.FromSeconds(20));
        AppDomain.CurrentDomain.ProcessExit += onProcessExit;
        try
        {
            await StartAsync(shutdown.Token).ConfigureAwait(false);
            await PrintReadyAsync().ConfigureAwait(false);
            await Task.Delay(Timeout.Infinite, shutdown.Token).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception ex) when (ex is not AppHostException && ex is InvalidOperationException or TimeoutException or IOException or UnauthorizedAccessException or Npgsql.NpgsqlException)
        {
            // A resource could not start; its message says why (and carries the server's last output when there is some).
            await _builder.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            var requested = shutdown.IsCancellationRequested;
            if (requested)
                await _builder.Output.WriteLineAsync("Stopping...").ConfigureAwait(false);
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
            if (requested)
                await _builder.Output.WriteLineAsync("Stopped.").ConfigureAwait(false);
            AppDomain.CurrentDomain.ProcessExit -= onProcessExit;
        }
    }

    private async Task PrintReadyAsync()
    {
        var output = _builder.Output;
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("All resources are healthy.").ConfigureAwait(false);
        foreach (var project in Resources.OfType<ProjectResource>().Where(p => p.ExternalHttpEndpoints))
            await output.WriteLineAsync($"  {project.Name,-10} {GetEndpoint(project.Name)}").ConfigureAwait(false);
        await output.WriteLineAsync($"  {"dashboard",-10} {DashboardUrl}").ConfigureAwait(false);
        await output.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
    }
}
