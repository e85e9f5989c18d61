using Binko.Api.Http;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Binko.Api.Extensions;

public static class CachingExtensions
{
    /// <summary>
    /// HybridCache: an in-process L1 and Redis as L2 (the app's one <see cref="IConnectionMultiplexer"/>, no second
    /// connection), plus <see cref="CacheInvalidator"/>, which also tells the other API replicas to drop a tag (HybridCache
    /// has no backplane of its own; see CacheInvalidator).
    /// </summary>
    public static void AddCaching(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CachingOptions>().BindConfiguration(CachingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider>((options, services) =>
        {
            options.InstanceName = services.GetRequiredService<IOptions<CachingOptions>>().Value.KeyPrefix;
            options.ConnectionMultiplexerFactory = () => Task.FromResult(services.GetRequiredService<IConnectionMultiplexer>());
        });
        builder.Services.AddStackExchangeRedisCache(_ => { });

        builder.Services.AddHybridCache(options =>
        {
            options.DefaultEntryOptions = new HybridCacheEntryOptions
            {
                Expiration = TimeSpan.FromMinutes(5),
                LocalCacheExpiration = TimeSpan.FromMinutes(5),
            };
            options.MaximumKeyLength = 512;
        });

        // Also a hosted service: it subscribes to the invalidation channel at start-up.
        builder.Services.AddSingleton<CacheInvalidator>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CacheInvalidator>());
    }
}

/// <summary>Settings of the catalog and profile caches, section <c>Caching</c>.</summary>
public sealed class CachingOptions
{
    public const string SectionName = "Caching";

    /// <summary>Prefix of every Redis key and channel the cache uses; deployments sharing one Redis keep theirs apart.</summary>
    [System.ComponentModel.DataAnnotations.Required, System.ComponentModel.DataAnnotations.RegularExpression("^[A-Za-z0-9:_.-]{1,64}$")]
    public string KeyPrefix { get; set; } = "binko:cache:";
}

/// <summary>
/// How long catalog, profile and statistics entries live: in each replica's memory (L1) and in Redis (L2). A write removes the
/// tag here and, through <see cref="CacheInvalidator"/>'s Redis channel, on every other replica, whose next read then
/// rejects both its L1 entry and any L2 entry created before the write.
/// </summary>
public static class CacheEntries
{
    public static readonly HybridCacheEntryOptions Catalog = new()
    {
        Expiration = TimeSpan.FromMinutes(5),
        LocalCacheExpiration = TimeSpan.FromMinutes(5),
    };

    /// <summary>A catalog read that uses what is cached but stores nothing: for requests whose keys a caller could vary
    /// without end (a guest's search).</summary>
    public static readonly HybridCacheEntryOptions CatalogReadOnly = new()
    {
        Expiration = Catalog.Expiration,
        LocalCacheExpiration = Catalog.LocalCacheExpiration,
        Flags = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite,
    };

    public static readonly HybridCacheEntryOptions Profile = new()
    {
        Expiration = TimeSpan.FromSeconds(60),
        LocalCacheExpiration = TimeSpan.FromSeconds(60),
    };

    /// <summary>Learning statistics: short, because the admin view is not invalidated by each user's feedback.</summary>
    public static readonly HybridCacheEntryOptions Stats = new()
    {
        Expiration = TimeSpan.FromSeconds(30),
        LocalCacheExpiration = TimeSpan.FromSeconds(30),
    };
}
