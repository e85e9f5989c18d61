using System.Globalization;
using System.Text;

namespace Binko.Tests.Infrastructure.Servers;

/// <summary>redis-server, configured through stdin so the password stays out of the process list.</summary>
internal static class RedisServerProgram
{
    public const string Name = "redis-server";

    public static ChildProcess Start(string redisServer, RedisServerOptions options, int port, string directory)
    {
        var config = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"port {port}")
            .AppendLine("bind 127.0.0.1")
            .AppendLine($"requirepass {Quote(options.Password)}")
            .AppendLine($"dir {Quote(directory)}")
            .AppendLine("daemonize no")
            .AppendLine("logfile \"\"")
            .AppendLine("always-show-logo no")
            .AppendLine("save \"\"")
            .AppendLine("appendonly no");
        return ChildProcess.Start(new ChildProcessOptions
        {
            FileName = redisServer,
            Arguments = ["-"],
            StandardInput = config.ToString(),
            WorkingDirectory = directory,
            Output = options.Output,
        });
    }

    /// <summary>A redis.conf double-quoted string.</summary>
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
