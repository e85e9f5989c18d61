using Microsoft.Extensions.Configuration;

namespace Binko.Data.Generations;

/// <summary>
/// The prefix (<c>Caching:KeyPrefix</c>) of the Redis keys the API and the worker share: the response cache and the
/// worker registry. Deployments (and test classes) sharing one Redis keep their keys apart with it.
/// </summary>
public static class RedisKeys
{
    public const string DefaultPrefix = "binko:cache:";

    public static string Prefix(IConfiguration configuration) =>
        configuration["Caching:KeyPrefix"] is { Length: > 0 } prefix ? prefix : DefaultPrefix;
}
