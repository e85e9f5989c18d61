namespace Binko.AppHost.Hosting;

/// <summary>A named part of the application: a server, a database, a parameter, a project.</summary>
public interface IResource
{
    string Name { get; }
}

/// <summary>A resource other resources can reference by connection string (<c>ConnectionStrings__{name}</c>).</summary>
public interface IResourceWithConnectionString : IResource;

/// <summary>A resource that receives environment variables and references (a project).</summary>
public interface IResourceWithEnvironment : IResource;

/// <summary>A resource that other resources reach over HTTP through service discovery (<c>services__{name}__http__0</c>).</summary>
public interface IResourceWithServiceDiscovery : IResource;

public abstract class Resource(string name) : IResource
{
    public string Name { get; } = name;

    /// <summary>Resources that must be healthy before this one starts.</summary>
    public List<IResource> WaitsFor { get; } = [];

    public override string ToString() => $"{GetType().Name} '{Name}'";
}

/// <summary>
/// A value supplied by configuration key <c>Parameters:{name}</c>; when it is a generated secret and unset, run mode
/// generates it once and keeps it in the data directory, and the manifest asks the deployment tool to generate it.
/// </summary>
public sealed class ParameterResource(string name, bool secret, int generatedMinLength, bool generatedSpecial) : Resource(name)
{
    public bool Secret { get; } = secret;
    public int GeneratedMinLength { get; } = generatedMinLength;

    /// <summary>Whether a generated value may contain special characters (Redis' may not: it goes into a StackExchange.Redis connection string).</summary>
    public bool GeneratedSpecial { get; } = generatedSpecial;

    public string ConfigurationKey => $"Parameters:{Name}";
}

/// <summary>A PostgreSQL server; the superuser is <c>postgres</c>.</summary>
public sealed class PostgresServerResource(string name, ParameterResource password) : Resource(name), IResourceWithConnectionString
{
    public const string UserName = "postgres";
    public const string Image = "docker.io/library/postgres";
    public const string ImageTag = "17.6";
    public const int TargetPort = 5432;

    public ParameterResource Password { get; } = password;
    public List<PostgresDatabaseResource> Databases { get; } = [];
}

/// <summary>A database on a <see cref="PostgresServerResource"/>; run mode creates it when missing.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent) : Resource(name), IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;
    public PostgresServerResource Parent { get; } = parent;
}

/// <summary>A Redis server with a password.</summary>
public sealed class RedisResource(string name, ParameterResource password) : Resource(name), IResourceWithConnectionString
{
    public const string Image = "docker.io/library/redis";
    public const string ImageTag = "7.4";
    public const int TargetPort = 6379;

    public ParameterResource Password { get; } = password;
}

/// <summary>
/// A connection string supplied from outside, read from <c>ConnectionStrings:{name}</c>. Run mode passes it on only when
/// it is configured; the manifest declares it as a secret parameter the deployment tool asks for.
/// </summary>
public sealed class ConnectionStringResource(string name) : Resource(name), IResourceWithConnectionString
{
    public string ConfigurationKey => $"ConnectionStrings:{Name}";
}

/// <summary>A .NET project run as <see cref="Replicas"/> child processes, each with its own HTTP endpoint.</summary>
public sealed class ProjectResource(string name, IProjectMetadata metadata) : Resource(name), IResourceWithEnvironment, IResourceWithServiceDiscovery
{
    public IProjectMetadata Metadata { get; } = metadata;
    public int Replicas { get; set; } = 1;

    /// <summary>Whether its HTTP endpoints are reachable from outside the deployment (ingress).</summary>
    public bool ExternalHttpEndpoints { get; set; }

    /// <summary>Run mode: the port of the first replica's HTTP endpoint (others get free ports); null picks a free port.</summary>
    public int? HttpPort { get; set; }

    /// <summary>Connection strings and services this project is given, in the order they were added.</summary>
    public List<IResource> References { get; } = [];

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);
}
