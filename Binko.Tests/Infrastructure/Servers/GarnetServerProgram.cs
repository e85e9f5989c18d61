using Binko.AppHost;
using Binko.AppHost.Redis;

namespace Binko.Tests.Infrastructure.Servers;

/// <summary>The tests' Redis on machines without redis-server: the AppHost's <see cref="GarnetServerTool"/>, as a child process.</summary>
internal static class GarnetServerProgram
{
    public const string Name = GarnetServerTool.Name;

    /// <summary>Located once per test run; the restore it may need is the slow part.</summary>
    private static readonly Lazy<Task<string>> Server = new(() => GarnetServerTool.LocateAsync(AppContext.BaseDirectory, CancellationToken.None));

    /// <summary>The configuration Garnet reads at start-up: it holds the password, so it is written 0600.</summary>
    public static string ConfigFile(string directory) => Path.Combine(directory, "garnet.conf");

    /// <summary>
    /// Starts garnet-server on 127.0.0.1:<paramref name="port"/>, configured through <see cref="ConfigFile"/>, which
    /// the caller deletes once the server answers.
    /// </summary>
    public static async Task<ChildProcess> StartAsync(RedisServerOptions options, int port, string directory, CancellationToken cancellationToken)
    {
        var server = await Server.Value.WaitAsync(cancellationToken);
        await PrivateFile.WriteAsync(ConfigFile(directory), GarnetServerTool.Configuration(options.Password, port), cancellationToken);
        return ChildProcess.Start(new ChildProcessOptions
        {
            FileName = "dotnet",
            Arguments = ["exec", server, "--config-import-path", ConfigFile(directory)],
            Environment = GarnetServerTool.Environment.ToDictionary(setting => setting.Key, string? (setting) => setting.Value),
            WorkingDirectory = directory,
            Output = options.Output,
        });
    }
}
