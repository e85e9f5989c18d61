using Binko.AppHost.Hosting;

namespace Binko.AppHost.Orchestration;

/// <summary>
/// The app model's resources and their instances: one per project replica ("api-0", "api-1"), none for a parameter,
/// one for anything else.
/// </summary>
internal sealed class InstanceTable
{
    private readonly Dictionary<IResource, IReadOnlyList<ResourceInstance>> _instances = [];

    public InstanceTable(IReadOnlyList<IResource> resources)
    {
        Resources = resources;
        foreach (var resource in resources)
        {
            _instances[resource] = resource switch
            {
                ParameterResource => [],
                ProjectResource project => [.. Enumerable.Range(0, project.Replicas).Select(i => new ResourceInstance($"{project.Name}-{i}", project.Name, "Project"))],
                _ => [new ResourceInstance(resource.Name, resource.Name, TypeName(resource))],
            };
        }
    }

    /// <summary>In the order the app model declares them.</summary>
    public IReadOnlyList<IResource> Resources { get; }

    public IEnumerable<ResourceInstance> All => Resources.SelectMany(Of);

    public IReadOnlyList<ResourceInstance> Of(IResource resource) => _instances[resource];

    private static string TypeName(IResource resource) => resource switch
    {
        PostgresServerResource => "Postgres",
        PostgresDatabaseResource => "PostgresDatabase",
        RedisResource => "Redis",
        ConnectionStringResource => "ConnectionString",
        _ => resource.GetType().Name.Replace("Resource", "", StringComparison.Ordinal),
    };
}
