using System.Net;
using System.Net.Sockets;

namespace Binko.Api.Http;

/// <summary>
/// Who a guest (a caller without a token) is, from the client address the forwarded-headers step left: an IPv4 address
/// as it is; an IPv4-mapped IPv6 address (how a dual-stack socket reports an IPv4 client) as that IPv4 address; an IPv6
/// address as its /64 (<c>2001:db8:1:2::/64</c>), the block one subscriber is given and takes new addresses from at will.
/// Guest quotas, rate limits, the daily ceiling and the ownership of generations and events all key on it.
/// </summary>
public static class GuestNetwork
{
    public const int Ipv6PrefixLength = 64;

    public static string Of(ConnectionInfo connection) => Of(connection.RemoteIpAddress);

    public static string Of(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[(Ipv6PrefixLength / 8)..].Clear();
        return new System.Net.IPNetwork(new IPAddress(bytes), Ipv6PrefixLength).ToString();
    }
}
