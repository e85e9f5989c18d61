namespace Binko.Data.Generations;

/// <summary>Who owns a generation, as stored in <c>generations.owner_id</c>: "user:&lt;sub&gt;" for a signed-in user,
/// "guest:&lt;client&gt;" for a guest.</summary>
public static class Owners
{
    public const string UserPrefix = "user:";
    private const string GuestPrefix = "guest:";

    public static string User(string userId) => UserPrefix + userId;

    public static string Guest(string client) => GuestPrefix + client;

    /// <summary>The user id of a user's owner id; null for a guest.</summary>
    public static string? UserIdOf(string ownerId) =>
        ownerId.StartsWith(UserPrefix, StringComparison.Ordinal) ? ownerId[UserPrefix.Length..] : null;
}
