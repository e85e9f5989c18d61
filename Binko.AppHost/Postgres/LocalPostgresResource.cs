namespace Binko.AppHost.Postgres;

/// <summary>
/// A PostgreSQL server run as a local process (as the 'postgres' account when the AppHost is root): run mode's stand-in
/// for Aspire's postgres container, with the same name and the same connection string.
/// </summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    /// <summary>The superuser initdb creates; Aspire's postgres container has the same one.</summary>
    public const string SuperUser = "postgres";

    private readonly Dictionary<string, string> _databases = new(StringComparer.Ordinal);

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    /// <summary>Database resource names and the databases they stand for, created once the server is ready.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={SuperUser};Password={PasswordParameter}");

    internal void AddDatabase(string resourceName, string databaseName) => _databases.Add(resourceName, databaseName);
}
