using System.Net;
using System.Net.Sockets;

namespace Binko.AppHost;

/// <summary>TCP ports of 127.0.0.1, where every local server of Binko's listens.</summary>
public static class LoopbackPort
{
    /// <summary>
    /// Whether 127.0.0.1:<paramref name="port"/> can be bound. With SO_REUSEADDR, as servers bind, so that connections of a
    /// just-stopped server lingering in TIME_WAIT do not count, but a listener does.
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
}
