using System.Net;
using System.Net.Sockets;

namespace Binko.AppHost.Hosting.Servers;

/// <summary>TCP port helpers for servers bound to 127.0.0.1.</summary>
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
    /// Whether 127.0.0.1:<paramref name="port"/> can be bound. Uses SO_REUSEADDR like postgres and redis-server do,
    /// so connections of a just-stopped server lingering in TIME_WAIT do not count, but a listener does.
    /// </summary>
    public static bool IsFree(int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return false;
        }
    }

    /// <summary>Returns <paramref name="port"/> when it is free, a free port when it is 0, and throws when it is taken.</summary>
    public static int Resolve(int port)
    {
        if (port == 0)
            return Get();
        if (!IsFree(port))
            throw new InvalidOperationException($"Port {port} on 127.0.0.1 is already in use.");
        return port;
    }
}
