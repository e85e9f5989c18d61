using Microsoft.Extensions.DependencyInjection;

namespace Binko.AppHost.Redis;

public static class LocalRedisBuilderExtensions
{
    /// <summary>
    /// A Redis-compatible server as a local process, for run mode on a machine without a container engine:
    /// <c>redis-server</c> when it is installed (persisting to the data directory's redis/), otherwise the
    /// <c>garnet-server</c> dotnet tool of the repository's tool manifest (<see cref="GarnetServerTool"/>, in memory only). It listens on 127.0.0.1 only,
    /// on <paramref name="port"/> or a free port, and requires the password <c>{name}-password</c>, which it reads from a
    /// configuration file of mode 0600 (never from its command line).
    /// </summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder,
        [ResourceName] string name, int? port = null)
    {
        var dataDirectory = DataDirectory.Open(builder.Configuration);
        var password = builder.AddPasswordParameter(dataDirectory, name);
        var directory = Directory.CreateDirectory(dataDirectory.Redis).FullName;
        var program = Executables.FindOnPath("redis-server") is { } redisServer
            ? RedisServer(redisServer, directory)
            : GarnetServer(builder.AppHostDirectory, directory);

        var redis = builder.AddResource(new LocalRedisResource(name, program.Command, program.WorkingDirectory, password.Resource))
            .WithArgs(program.Arguments)
            .WithEnvironment(context =>
            {
                foreach (var (variable, value) in program.Environment)
                    context.EnvironmentVariables[variable] = value;
            })
            .WithLocalTcpEndpoint(LocalRedisResource.PrimaryEndpointName, port)
            .WithIconName("Memory")
            .WithConnectionStringHealthCheck((checks, key, connectionString) => checks.AddRedis(_ => connectionString(), name: key))
            .OnBeforeResourceStarted(async (resource, _, ct) =>
            {
                var secret = await resource.PasswordParameter.GetValueAsync(ct).ConfigureAwait(false);
                await PrivateFile.WriteAsync(program.ConfigFile, program.Config(secret!), ct).ConfigureAwait(false);
            });
        redis.WithArgs(context =>
        {
            context.Args.Add("--port");
            context.Args.Add(redis.Resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
        });
        return redis;
    }

    private static LocalRedisProgram RedisServer(string redisServer, string directory)
    {
        var configFile = Path.Combine(directory, "redis.conf");
        return new(redisServer, directory, [configFile], configFile, new Dictionary<string, string>(), password => $"""
            bind 127.0.0.1
            requirepass {Quote(password)}
            dir {Quote(directory)}
            daemonize no
            logfile ""
            always-show-logo no
            save 3600 1 300 100 60 10000
            appendonly yes
            appendfsync everysec

            """);
    }

    private static LocalRedisProgram GarnetServer(string appHostDirectory, string directory)
    {
        var server = GarnetServerTool.LocateAsync(appHostDirectory, CancellationToken.None).GetAwaiter().GetResult();
        var configFile = Path.Combine(directory, "garnet.conf");
        return new("dotnet", directory, ["exec", server, "--config-import-path", configFile, "--checkpointdir", directory],
            configFile, GarnetServerTool.Environment, password => GarnetServerTool.Configuration(password));
    }

    /// <summary>A redis.conf double-quoted string.</summary>
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>How to run one kind of server, and the configuration file (with the password) it reads.</summary>
    private sealed record LocalRedisProgram(string Command, string WorkingDirectory, string[] Arguments, string ConfigFile,
        IReadOnlyDictionary<string, string> Environment, Func<string, string> Config);
}
