using System.Data.Common;
using System.Text;
using Binko.AppHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace Binko.AppHost.Orchestration;

/// <summary>
/// What Aspire injects into a project replica: its URL and environment, OpenTelemetry settings, the endpoints of the
/// projects it references (service discovery) and the connection strings of the resources it references.
/// </summary>
internal sealed class ProjectEnvironment(PortAllocator ports, IReadOnlyDictionary<string, string> parameters, IConfiguration configuration, string? otlpEndpoint)
{
    /// <summary>The variables Aspire gives a project, on top of the AppHost's own environment.</summary>
    public Dictionary<string, string?> For(ProjectResource project, int replica)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // Not inherited from the AppHost: they would make every child listen on the AppHost's URL or environment.
            ["DOTNET_ENVIRONMENT"] = null,
            ["DOTNET_LAUNCH_PROFILE"] = null,
            ["ASPNETCORE_URLS"] = ports.HttpUrl(project, replica),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["OTEL_SERVICE_NAME"] = project.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={project.Name}-{replica}",
        };
        foreach (var (name, value) in AspireEnvironment.OtlpExporterDefaults)
            environment[name] = value;
        if (otlpEndpoint is not null)
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint;

        foreach (var reference in project.References)
        {
            switch (reference)
            {
                case ProjectResource target:
                    for (var i = 0; i < target.Replicas; i++)
                        environment[AspireEnvironment.ServiceEndpoint(target.Name, "http", i)] = ports.HttpUrl(target, i);
                    break;
                case IResourceWithConnectionString source when ConnectionStringFor(source) is { } connectionString:
                    environment[AspireEnvironment.ConnectionString(source.Name)] = connectionString;
                    break;
            }
        }
        foreach (var (name, value) in project.Environment)
            environment[name] = value;
        return environment;
    }

    /// <summary>Aspire's formats; null for an optional connection string that is not configured.</summary>
    public string? ConnectionStringFor(IResource resource) => resource switch
    {
        PostgresServerResource server => new StringBuilder()
            .Append("Host=").Append(PortAllocator.Host).Append(";Port=").Append(ports.PortOf(server)).Append(";Username=").Append(PostgresServerResource.UserName)
            .Append(';').Append(KeyValue("Password", parameters[server.Password.Name])).ToString(),
        PostgresDatabaseResource database => ConnectionStringFor(database.Parent) + ";" + KeyValue("Database", database.DatabaseName),
        RedisResource redis => $"{PortAllocator.Host}:{ports.PortOf(redis)},password={parameters[redis.Password.Name]}",
        ConnectionStringResource external => configuration[external.ConfigurationKey] is { Length: > 0 } value ? value : null,
        _ => throw new InvalidOperationException($"{resource} has no connection string."),
    };

    private static string KeyValue(string key, string value)
    {
        var builder = new StringBuilder();
        DbConnectionStringBuilder.AppendKeyValuePair(builder, key, value);
        return builder.ToString();
    }
}
