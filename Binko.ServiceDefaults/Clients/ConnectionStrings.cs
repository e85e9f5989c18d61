namespace Binko.ServiceDefaults.Clients;

internal static class ConnectionStrings
{
    /// <summary>Fails start-up with a message that names the missing setting in both of its spellings.</summary>
    public static string Require(string? connectionString, string connectionName, string settingsSection) =>
        string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException(
                $"Connection string 'ConnectionStrings:{connectionName}' is missing (environment variable " +
                $"ConnectionStrings__{connectionName}, or '{settingsSection}:ConnectionString').")
            : connectionString;
}
