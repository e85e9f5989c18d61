using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Binko.AppHost.Orchestration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Binko.AppHost.Dashboard;

/// <summary>
/// A small server-rendered dashboard on 127.0.0.1: the resources (type, state, health, endpoints, pid, uptime,
/// restarts) at /, each instance's recent console output at /resources/{name}/logs, and the same data as JSON at
/// /api/resources and /api/resources/{name}/logs.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = true,
    };

    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<DashboardServer> StartAsync(Orchestrator orchestrator, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DashboardServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        // Listen() wins over ASPNETCORE_URLS, which the AppHost may have in its environment for the projects' sake.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddRoutingCore();

        var app = builder.Build();
        app.MapGet("/", () => Html(RenderResources(orchestrator)));
        app.MapGet("/resources/{name}/logs", (string name) =>
            Find(orchestrator, name) is { } instance ? Html(RenderLogs(instance)) : Results.NotFound());
        app.MapGet("/api/resources", () => Results.Json(orchestrator.Instances.Select(i => i.Snapshot()), Json));
        app.MapGet("/api/resources/{name}/logs", (string name) =>
            Find(orchestrator, name) is { } instance ? Results.Json(instance.Log.Snapshot(), Json) : Results.NotFound());

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new DashboardServer(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static ResourceInstance? Find(Orchestrator orchestrator, string name) =>
        orchestrator.Instances.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase));

    private static IResult Html(string body) => Results.Content(body, "text/html; charset=utf-8");

    private static string RenderResources(Orchestrator orchestrator)
    {
        var html = Page("Binko resources", refreshSeconds: 5);
        html.Append("<h1>Binko resources</h1><table><thead><tr>")
            .Append("<th>Name</th><th>Type</th><th>State</th><th>Health</th><th>Endpoints</th><th>PID</th><th>Uptime</th><th>Restarts</th><th>Details</th><th>Logs</th>")
            .Append("</tr></thead><tbody>");
        foreach (var resource in orchestrator.Instances.Select(i => i.Snapshot()))
        {
            var state = resource.ExitCode is { } code ? $"{resource.State} (exit code {code})" : resource.State.ToString();
            html.Append("<tr>")
                .Append(Cell(resource.Name))
                .Append(Cell(resource.Type))
                .Append(CultureInfo.InvariantCulture, $"<td class=\"state-{resource.State}\">{Encode(state)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"health-{resource.Health}\">{resource.Health}</td>")
                .Append("<td>").AppendJoin("<br>", resource.Endpoints.Select(EndpointLink)).Append("</td>")
                .Append(Cell(resource.ProcessId?.ToString(CultureInfo.InvariantCulture) ?? (resource.Type == "Redis" && resource.State == ResourceState.Running ? "in AppHost" : "")))
                .Append(Cell(resource.Uptime is { } uptime ? FormatUptime(uptime) : ""))
                .Append(Cell(resource.Restarts.ToString(CultureInfo.InvariantCulture)))
                .Append(Cell(resource.Error ?? resource.Details ?? ""))
                .Append(CultureInfo.InvariantCulture, $"<td><a href=\"/resources/{Uri.EscapeDataString(resource.Name)}/logs\">logs</a></td>")
                .Append("</tr>");
        }
        html.Append("</tbody></table><p class=\"muted\">Refreshes every 5 s. JSON: <a href=\"/api/resources\">/api/resources</a>.</p></body></html>");
        return html.ToString();
    }

    private static string RenderLogs(ResourceInstance instance)
    {
        var html = Page($"{instance.Name} logs", refreshSeconds: 3);
        html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"/\">&larr; resources</a></p><h1>{Encode(instance.Name)}: recent console output</h1><pre>");
        foreach (var line in instance.Log.Snapshot())
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"muted\">{line.Timestamp:HH:mm:ss.fff}</span> {Encode(line.Text)}\n");
        html.Append(CultureInfo.InvariantCulture, $"</pre><p class=\"muted\">Last {instance.Log.Snapshot().Count} lines; refreshes every 3 s. JSON: <a href=\"/api/resources/{Uri.EscapeDataString(instance.Name)}/logs\">here</a>.</p></body></html>");
        return html.ToString();
    }

    private static StringBuilder Page(string title, int refreshSeconds) => new StringBuilder()
        .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"refresh\" content=\"{refreshSeconds}\"><title>{Encode(title)}</title>")
        .Append("<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}")
        .Append("th,td{border-bottom:1px solid #ddd;padding:.35rem .7rem;text-align:left;vertical-align:top}th{background:#f4f4f4}")
        .Append(".health-Healthy{color:#17803d}.health-Unhealthy,.state-FailedToStart,.state-Exited{color:#b3261e;font-weight:600}")
        .Append(".muted{color:#777}pre{background:#111;color:#eee;padding:1rem;overflow-x:auto;font-size:.85rem}</style></head><body>");

    private static string EndpointLink(string endpoint) =>
        endpoint.StartsWith("http", StringComparison.Ordinal) ? $"<a href=\"{Encode(endpoint)}\">{Encode(endpoint)}</a>" : Encode(endpoint);

    private static string Cell(string text) => $"<td>{Encode(text)}</td>";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string FormatUptime(TimeSpan uptime) =>
        uptime.TotalHours >= 1 ? $"{(int)uptime.TotalHours}h {uptime.Minutes}m" : uptime.TotalMinutes >= 1 ? $"{uptime.Minutes}m {uptime.Seconds}s" : $"{uptime.Seconds}s";
}
