namespace Binko.AppHost;

internal static class LocalEndpointExtensions
{
    /// <summary>
    /// The "tcp" endpoint of a local server process: 127.0.0.1 only, on <paramref name="port"/> or one DCP picks, which
    /// the server itself listens on (no proxy in between on every query).
    /// </summary>
    public static IResourceBuilder<T> WithLocalTcpEndpoint<T>(this IResourceBuilder<T> builder, string name, int? port)
        where T : IResourceWithEndpoints =>
        builder.WithEndpoint(name, endpoint =>
        {
            endpoint.UriScheme = "tcp";
            endpoint.TargetHost = "127.0.0.1";
            endpoint.Port = endpoint.TargetPort = port;
            endpoint.IsProxied = false;
        });
}
