namespace Binko.AppHost.Hosting;

/// <summary>
/// The environment variables Aspire gives every project, named as its client integrations read them. Run mode sets
/// them to values, the manifest to expressions the deployment tool resolves.
/// </summary>
internal static class AspireEnvironment
{
    /// <summary>Exception and event attributes on OTLP log records, and in-memory retry of failed exports.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> OtlpExporterDefaults { get; } =
    [
        new("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES", "true"),
        new("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES", "true"),
        new("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "in_memory"),
    ];

    /// <summary><c>ConnectionStrings__{name}</c>: what <c>GetConnectionString(name)</c> reads.</summary>
    public static string ConnectionString(string resourceName) => $"ConnectionStrings__{resourceName}";

    /// <summary><c>services__{name}__{scheme}__{index}</c>: where service discovery finds <c>{scheme}://{name}</c>.</summary>
    public static string ServiceEndpoint(string serviceName, string scheme, int index) => $"services__{serviceName}__{scheme}__{index}";
}
