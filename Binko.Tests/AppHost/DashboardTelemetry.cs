using System.Net;
using System.Text.Json;

namespace Binko.Tests.AppHost;

/// <summary>Reads spans from the Aspire dashboard's telemetry API, which answers in OTLP's JSON form.</summary>
internal static class DashboardTelemetry
{
    public sealed record Span(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);

    /// <summary>
    /// <c>GET /api/telemetry/spans</c> with the given query: every span, with the service that sent it. None while the
    /// resource has sent none (the dashboard then answers 404).
    /// </summary>
    public static async Task<IReadOnlyList<Span>> SpansAsync(this HttpClient dashboard, string query, CancellationToken cancellationToken)
    {
        using var answer = await dashboard.GetAsync($"/api/telemetry/spans?{query}", cancellationToken);
        if (answer.StatusCode == HttpStatusCode.NotFound)
            return [];
        answer.EnsureSuccessStatusCode();
        using var response = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(cancellationToken));
        if (!response.RootElement.TryGetProperty("data", out var data) || !data.TryGetProperty("resourceSpans", out var resources))
            return [];
        return
        [
            .. from resource in resources.EnumerateArray()
            let service = Attributes(resource.GetProperty("resource"))["service.name"]
            from scope in resource.GetProperty("scopeSpans").EnumerateArray()
            from span in scope.GetProperty("spans").EnumerateArray()
            select new Span(service, span.GetProperty("traceId").GetString()!, span.GetProperty("spanId").GetString()!,
                span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() ?? "" : "", span.GetProperty("name").GetString()!,
                Attributes(span)),
        ];
    }

    /// <summary>Attribute values as text: a string's own, any other kind's JSON.</summary>
    private static Dictionary<string, string> Attributes(JsonElement owner) =>
        owner.TryGetProperty("attributes", out var attributes)
            ? attributes.EnumerateArray().ToDictionary(
                attribute => attribute.GetProperty("key").GetString()!,
                attribute => attribute.GetProperty("value").EnumerateObject().Select(value =>
                    value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString()! : value.Value.GetRawText()).FirstOrDefault() ?? "")
            : [];
}
