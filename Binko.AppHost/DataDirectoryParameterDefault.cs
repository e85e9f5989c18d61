using Aspire.Hosting.Publishing;

namespace Binko.AppHost;

/// <summary>
/// A generated secret kept in the data directory (parameters.json), not in user secrets: a cluster's password belongs
/// with the cluster, so a new data directory (a test's, say) gets a new one and an existing one keeps working.
/// <c>Parameters:{name}</c> in configuration still wins, as for every Aspire parameter.
/// </summary>
internal sealed class DataDirectoryParameterDefault(DataDirectory directory, string name) : ParameterDefault
{
    // Letters and digits only: the Redis password cannot hold ',' or '=', the connection strings ';'.
    private readonly GenerateParameterDefault _generate = new() { MinLength = 22, Special = false };

    public override string GetDefaultValue() => directory.GetOrCreateParameter(name, _generate.GetDefaultValue);

    public override void WriteToManifest(ManifestPublishingContext context) => _generate.WriteToManifest(context);
}

internal static class DataDirectoryParameterExtensions
{
    /// <summary>The secret parameter <c>{resource}-password</c>, generated once and kept in <paramref name="directory"/>.</summary>
    public static IResourceBuilder<ParameterResource> AddPasswordParameter(this IDistributedApplicationBuilder builder, DataDirectory directory, string resource)
    {
        var name = $"{resource}-password";
        return builder.AddParameter(name, new DataDirectoryParameterDefault(directory, name), secret: true);
    }
}
