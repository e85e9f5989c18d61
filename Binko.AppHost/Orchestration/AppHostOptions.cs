using System.Globalization;
using Binko.AppHost.Hosting.Servers;
using Microsoft.Extensions.Configuration;

namespace Binko.AppHost.Orchestration;

/// <summary>Run-mode settings, read from configuration (environment variables, then the command line).</summary>
public sealed record AppHostOptions
{
    public const int DefaultDashboardPort = 18888;

    /// <summary><c>AppHost:DataDirectory</c>: postgres data, redis data and generated passwords.</summary>
    public required string DataDirectory { get; init; }

    /// <summary><c>Ports:Dashboard</c> (default 18888); 0 picks a free port.</summary>
    public int DashboardPort { get; init; } = DefaultDashboardPort;

    /// <summary><c>Ports:Postgres</c>, <c>Ports:Redis</c>: 0 (unset) picks free ports.</summary>
    public int PostgresPort { get; init; }

    public int RedisPort { get; init; }

    /// <summary><c>AppHost:Durable</c> (default true). False turns off fsync in Postgres: for tests only.</summary>
    public bool Durable { get; init; } = true;

    /// <summary><c>AppHost:EchoOutput</c> (default true): print each resource's console output with its name as prefix.</summary>
    public bool EchoOutput { get; init; } = true;

    /// <summary><c>AppHost:EmbeddedRedis</c> (default false): use the embedded Garnet even when redis-server is on PATH.</summary>
    public bool EmbeddedRedis { get; init; }

    /// <summary><c>AppHost:WaitTimeoutSeconds</c> (default 90): how long a resource may take to become healthy.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary><c>AppHost:StopGraceSeconds</c> (default 5): how long a project has to exit after SIGTERM before SIGKILL.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>AppHost:HealthIntervalSeconds</c> (default 5): how often the dashboard's health column is refreshed.</summary>
    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>OTEL_EXPORTER_OTLP_ENDPOINT</c> of the AppHost itself, passed on to the projects when set.</summary>
    public string? OtlpEndpoint { get; init; }

    public static AppHostOptions FromConfiguration(IConfiguration configuration) => new()
    {
        DataDirectory = ResolveDataDirectory(configuration["AppHost:DataDirectory"]),
        DashboardPort = Port(configuration, "Ports:Dashboard", DefaultDashboardPort),
        PostgresPort = Port(configuration, "Ports:Postgres", 0),
        RedisPort = Port(configuration, "Ports:Redis", 0),
        Durable = Bool(configuration, "AppHost:Durable", true),
        EchoOutput = Bool(configuration, "AppHost:EchoOutput", true),
        EmbeddedRedis = Bool(configuration, "AppHost:EmbeddedRedis", false),
        WaitTimeout = Seconds(configuration, "AppHost:WaitTimeoutSeconds", 90),
        StopGrace = Seconds(configuration, "AppHost:StopGraceSeconds", 5),
        HealthInterval = Seconds(configuration, "AppHost:HealthIntervalSeconds", 5),
        OtlpEndpoint = NullIfEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]),
    };

    /// <summary>
    /// The default is ~/.binko, except for root: /root is 0700, and PostgreSQL runs as the 'postgres' account, which
    /// must be able to reach its data directory, so root's default is /var/lib/binko.
    /// </summary>
    public static string DefaultDataDirectory() =>
        PostgresRunAs.IsRoot
            ? "/var/lib/binko"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".binko");

    private static string ResolveDataDirectory(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
            return DefaultDataDirectory();
        if (configured.StartsWith("~/", StringComparison.Ordinal))
            configured = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), configured[2..]);
        return Path.GetFullPath(configured);
    }

    /// <summary>
    /// <c>Ports:{Name}</c> for a project's first replica (<see cref="ProjectPortKey"/>; configuration keys ignore case), else
    /// <paramref name="declaredPort"/>; 0 picks a free port.
    /// </summary>
    public static int ProjectPort(IConfiguration configuration, string projectName, int? declaredPort) =>
        Port(configuration, ProjectPortKey(projectName), declaredPort ?? 0);

    /// <summary>"Ports:Api" for "api", "Ports:GenerationWorker" for "generation-worker".</summary>
    public static string ProjectPortKey(string projectName) =>
        "Ports:" + string.Concat(projectName.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>How a configuration key is spelt as an environment variable: "Ports__Api" for "Ports:Api".</summary>
    internal static string EnvironmentVariableName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static int Port(IConfiguration configuration, string key, int defaultValue)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
            return defaultValue;
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            throw new AppHostException($"{key} is '{value}', which is not a port number (0-65535; 0 picks a free port).");
        return port;
    }

    private static bool Bool(IConfiguration configuration, string key, bool defaultValue)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
            return defaultValue;
        return bool.TryParse(value, out var result) ? result : throw new AppHostException($"{key} is '{value}'; expected true or false.");
    }

    private static TimeSpan Seconds(IConfiguration configuration, string key, double defaultValue)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
            return TimeSpan.FromSeconds(defaultValue);
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new AppHostException($"{key} is '{value}'; expected a positive number of seconds.");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
