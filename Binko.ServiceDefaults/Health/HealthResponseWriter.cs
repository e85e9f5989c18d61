using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Binko.ServiceDefaults.Health;

/// <summary>
/// Writes <c>{"status", "total_duration_ms", "checks": [{"name", "status", "duration_ms", "description" | "error"}]}</c>.
/// A failed check shows its exception's type, never its message: messages can carry hosts or credentials.
/// </summary>
internal static class HealthResponseWriter
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";

        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteNumber("total_duration_ms", Math.Round(report.TotalDuration.TotalMilliseconds, 2));
        json.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteNumber("duration_ms", Math.Round(entry.Duration.TotalMilliseconds, 2));
            if (entry.Exception is not null)
                json.WriteString("error", entry.Exception.GetType().Name);
            else if (entry.Description is { Length: > 0 } description)
                json.WriteString("description", description);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
