using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Binko.ServiceDefaults.Logging;

/// <summary>Binko's data classes, for Microsoft.Extensions.Compliance: what logs must never show in clear.</summary>
public static class BinkoDataClassifications
{
    public const string TaxonomyName = "Binko";

    /// <summary>Keys, passwords, tokens, connection strings: erased from logs.</summary>
    public static DataClassification Secret { get; } = new(TaxonomyName, nameof(Secret));
}

/// <summary>Marks a logged value (a <c>[LoggerMessage]</c> parameter or a <c>[LogProperties]</c> member) as a secret:
/// it is erased before any log provider sees it.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecretDataAttribute() : DataClassificationAttribute(BinkoDataClassifications.Secret);

internal static class RedactionExtensions
{
    /// <summary>
    /// Log redaction (Microsoft.Extensions.Compliance.Redaction): values classified <see cref="BinkoDataClassifications.Secret"/>
    /// are erased in every log provider (console, JSON, OpenTelemetry); any other classified value too (erasing is the fallback),
    /// until a class gets a redactor of its own. The other half of keeping secrets out of logs is not logging them: the request
    /// log writes the route template (never the query string, headers or body), the health output shows exception types only,
    /// problem responses carry no exception text outside Development, and start-up errors name settings, never their values.
    /// </summary>
    public static void ConfigureLogRedaction(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRedaction(redaction =>
        {
            redaction.SetRedactor<ErasingRedactor>(new DataClassificationSet(BinkoDataClassifications.Secret));
            redaction.SetFallbackRedactor<ErasingRedactor>();
        });
        builder.Logging.EnableRedaction();
    }
}
