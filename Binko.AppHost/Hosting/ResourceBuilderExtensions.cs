namespace Binko.AppHost.Hosting;

/// <summary>The Aspire-shaped methods that declare Binko's topology.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>A PostgreSQL server. Its superuser password is the secret parameter <c>{name}-password</c>.</summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this DistributedApplicationBuilder builder, string name)
    {
        var password = builder.AddGeneratedPassword($"{name}-password", special: true);
        return builder.AddResource(new PostgresServerResource(name, password));
    }

    /// <summary>A database on the server, created by run mode when missing. Its connection string adds <c>Database={databaseName}</c>.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> server, string name, string? databaseName = null)
    {
        var database = new PostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        server.Resource.Databases.Add(database);
        return server.ApplicationBuilder.AddResource(database);
    }

    /// <summary>A Redis server. Its password is the secret parameter <c>{name}-password</c> (letters and digits only).</summary>
    public static IResourceBuilder<RedisResource> AddRedis(this DistributedApplicationBuilder builder, string name)
    {
        var password = builder.AddGeneratedPassword($"{name}-password", special: false);
        return builder.AddResource(new RedisResource(name, password));
    }

    /// <summary>A connection string supplied by configuration (<c>ConnectionStrings:{name}</c>).</summary>
    public static IResourceBuilder<ConnectionStringResource> AddConnectionString(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new ConnectionStringResource(name));

    /// <summary>A .NET project, described by a generated <c>Projects.*</c> class.</summary>
    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this DistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new() =>
        builder.AddResource(new ProjectResource(name, new TProject()));

    /// <summary>Gives the project <c>ConnectionStrings__{source}</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithReference(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<IResourceWithConnectionString> source)
    {
        AddReference(builder.Resource, source.Resource);
        return builder;
    }

    /// <summary>Gives the project the other project's endpoints as <c>services__{source}__http__{i}</c> (service discovery).</summary>
    public static IResourceBuilder<ProjectResource> WithReference(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<IResourceWithServiceDiscovery> source)
    {
        AddReference(builder.Resource, source.Resource);
        return builder;
    }

    /// <summary>Starts this resource only once <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency) where T : Resource
    {
        if (ReferenceEquals(builder.Resource, dependency.Resource))
            throw new InvalidOperationException($"'{builder.Resource.Name}' cannot wait for itself.");
        if (!builder.Resource.WaitsFor.Contains(dependency.Resource))
            builder.Resource.WaitsFor.Add(dependency.Resource);
        return builder;
    }

    /// <summary>Runs <paramref name="replicas"/> processes of the project, each on its own port.</summary>
    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    /// <summary>Marks the project's HTTP endpoints external (public ingress when deployed).</summary>
    public static IResourceBuilder<ProjectResource> WithExternalHttpEndpoints(this IResourceBuilder<ProjectResource> builder)
    {
        builder.Resource.ExternalHttpEndpoints = true;
        return builder;
    }

    /// <summary>
    /// Run mode: the first replica listens on <paramref name="port"/> (configuration <c>Ports:{name}</c> overrides it;
    /// 0 picks a free port). Further replicas get free ports.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithHttpEndpoint(this IResourceBuilder<ProjectResource> builder, int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        builder.Resource.HttpPort = port;
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> builder, string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Resource.Environment[name] = value;
        return builder;
    }

    private static void AddReference(ProjectResource project, IResource source)
    {
        if (ReferenceEquals(project, source))
            throw new InvalidOperationException($"'{project.Name}' cannot reference itself.");
        if (!project.References.Contains(source))
            project.References.Add(source);
    }
}
