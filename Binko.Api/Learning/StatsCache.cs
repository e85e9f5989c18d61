namespace Binko.Api.Learning;

/// <summary>
/// Cache keys and tags of the learning statistics. Giving feedback invalidates <see cref="UserTag"/> (through
/// <see cref="Http.CacheInvalidator"/>); <see cref="AllTag"/> is on every statistics entry, the admin view's included.
/// </summary>
public static class StatsCache
{
    /// <summary>Every statistics entry: the admin view and every user's.</summary>
    public const string AllTag = "stats";

    /// <summary>One user's statistics, in every category.</summary>
    public static string UserTag(string userId) => $"stats:{userId}";

    // The category comes first: it holds no ':' (it is validated), so a user id cannot make two keys collide.
    internal static string UserKey(string userId, string? category) => $"stats:user:{category}:{userId}";

    internal static string AllUsersKey(string? category) => $"stats:all:{category}";
}
