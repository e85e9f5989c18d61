using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace Binko.AppHost;

internal static class PortSettings
{
    /// <summary>
    /// The port a setting such as <c>Ports:Api</c> names; <paramref name="defaultPort"/> when it is unset, and null (a free
    /// port) when that is null or the setting is 0. A value that is not a port number, or a port of 127.0.0.1 that is
    /// already in use, stops the AppHost before anything starts (DCP would otherwise wait for it without a word).
    /// </summary>
    public static int? GetPort(this IConfiguration configuration, string key, int? defaultPort = null)
    {
        var value = configuration[key];
        var port = string.IsNullOrWhiteSpace(value) ? defaultPort : Parse(key, value);
        if (port is null or 0)
            return null;
        if (!LoopbackPort.IsFree(port.Value))
            throw new DistributedApplicationException(
                $"{key} is {port}, and that port of 127.0.0.1 is in use. Stop what uses it, or set {key} to another port (0 picks a free one).");
        return port;
    }

    private static int Parse(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= IPEndPoint.MaxPort
            ? port
            : throw new DistributedApplicationException($"{key} is '{value}', which is not a port number (1-65535, or 0 for a free port).");
}
