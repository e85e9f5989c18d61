using System.ComponentModel.DataAnnotations;

namespace Binko.ServiceDefaults;

/// <summary>Settings for request logging and metrics, section <c>Observability</c>.</summary>
public sealed class ObservabilityOptions
{
    public const string SectionName = "Observability";

    /// <summary>Requests slower than this are logged as warnings.</summary>
    [Range(1, 600_000)]
    public int SlowRequestThresholdMs { get; set; } = 1000;

    /// <summary>Serve Prometheus text exposition at /metrics.</summary>
    public bool MetricsEndpointEnabled { get; set; } = true;
}
