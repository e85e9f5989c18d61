using System.Net;
using System.Net.Sockets;
using Binko.AppHost;

namespace Binko.Tests.Infrastructure.Servers;

/// <summary>TCP ports of 127.0.0.1 for the servers and services the tests start.</summary>
public static class FreePort
{
    /// <summary>A port the OS reports free right now; another process may still take it before it is used.</summary>
    public static int Get()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>
    /// <paramref name="port"/> when it is free (a server restarted on its old port), a free port when it is 0, and
    /// an error naming the port when it is taken.
    /// </summary>
    public static int Resolve(int port)
    {
        if (port == 0)
            return Get();
        if (!LoopbackPort.IsFree(port))
            throw new InvalidOperationException($"Port {port} on 127.0.0.1 is already in use.");
        return port;
    }
}
