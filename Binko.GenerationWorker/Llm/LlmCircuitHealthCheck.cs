using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Binko.GenerationWorker.Llm;

/// <summary>"llm-circuit": Degraded while the circuit is open (jobs complete with catalog ideas), Healthy otherwise.</summary>
public sealed class LlmCircuitHealthCheck(LlmCircuit circuit) : IHealthCheck
{
    public const string Name = "llm-circuit";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(circuit.Name switch
        {
            "closed" => HealthCheckResult.Healthy(circuit.Enabled ? "circuit closed" : "offline generator, no circuit"),
            "half-open" => HealthCheckResult.Healthy("circuit half-open: probing the LLM"),
            var state => HealthCheckResult.Degraded($"circuit {state}: generations complete with catalog ideas"),
        });
}
