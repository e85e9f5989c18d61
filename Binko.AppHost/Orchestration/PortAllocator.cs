using Binko.AppHost.Hosting;
using Binko.AppHost.Hosting.Servers;

namespace Binko.AppHost.Orchestration;

/// <summary>
/// The run's ports on 127.0.0.1, all chosen before anything starts: a configured port must be free and given to one
/// resource only; 0 picks a free one. Remembers each resource's ports (a project has one per replica).
/// </summary>
internal sealed class PortAllocator
{
    public const string Host = "127.0.0.1";

    private readonly HashSet<int> _reserved = [];
    private readonly Dictionary<IResource, int[]> _assigned = [];

    /// <summary>A port nothing listens on and no other resource of this run was given; <paramref name="key"/> configures it.</summary>
    public int Reserve(int port, string owner, string key)
    {
        if (port == 0)
            return ReserveFree();
        if (!_reserved.Add(port))
            throw new AppHostException($"Port {port}, wanted by {owner} ({key}), is also configured for another resource; give each its own port.");
        if (!FreePort.IsFree(port))
            throw new AppHostException(
                $"Port {port} on {Host}, wanted by {owner}, is already in use. Stop what listens there or choose another port with {key} " +
                $"(e.g. --{key}={NextSuggestion(port)} or {AppHostOptions.EnvironmentVariableName(key)}={NextSuggestion(port)}; 0 picks a free port).");
        return port;
    }

    /// <summary>The first of <paramref name="count"/> ports is <paramref name="port"/>, configured by <paramref name="key"/>; the others are free ones.</summary>
    public void ReserveFor(IResource resource, int port, string key, int count = 1) =>
        _assigned[resource] = [Reserve(port, $"'{resource.Name}'", key), .. Enumerable.Range(1, count - 1).Select(_ => ReserveFree())];

    public int PortOf(IResource resource, int replica = 0) => _assigned[resource][replica];

    public string TcpUrl(IResource resource) => $"tcp://{Host}:{PortOf(resource)}";

    public string HttpUrl(IResource resource, int replica) => $"http://{Host}:{PortOf(resource, replica)}";

    private int ReserveFree()
    {
        // The OS may hand out a just-released port again; skip the ones already given to another resource.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var free = FreePort.Get();
            if (_reserved.Add(free))
                return free;
        }
        throw new AppHostException($"Could not find a free port on {Host}.");
    }

    private static int NextSuggestion(int port) => port < 65535 ? port + 10 > 65535 ? port + 1 : port + 10 : 0;
}
