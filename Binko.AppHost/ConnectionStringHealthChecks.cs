using Microsoft.Extensions.DependencyInjection;

namespace Binko.AppHost;

internal static class ConnectionStringHealthChecks
{
    /// <summary>
    /// A health check named <c>{resource}_check</c> on the resource's connection string, which is known only once the
    /// resource starts: the pattern of Aspire's own Postgres and Redis resources.
    /// </summary>
    public static IResourceBuilder<T> WithConnectionStringHealthCheck<T>(this IResourceBuilder<T> builder,
        Action<IHealthChecksBuilder, string, Func<string>> register) where T : IResourceWithConnectionString
    {
        var resource = builder.Resource;
        string? connectionString = null;
        builder.ApplicationBuilder.Eventing.Subscribe<ConnectionStringAvailableEvent>(resource, async (_, ct) =>
            connectionString = await resource.GetConnectionStringAsync(ct).ConfigureAwait(false));

        var key = $"{resource.Name}_check";
        register(builder.ApplicationBuilder.Services.AddHealthChecks(), key,
            () => connectionString ?? throw new InvalidOperationException($"The connection string of '{resource.Name}' is not known yet."));
        return builder.WithHealthCheck(key);
    }
}
