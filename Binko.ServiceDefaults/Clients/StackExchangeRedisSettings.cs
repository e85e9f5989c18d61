namespace Binko.ServiceDefaults.Clients;

/// <summary>Settings of the Redis client integration, bound from <c>Aspire:StackExchange:Redis</c> as in .NET Aspire.</summary>
public sealed class StackExchangeRedisSettings
{
    public const string SectionName = "Aspire:StackExchange:Redis";

    public string? ConnectionString { get; set; }

    public bool DisableHealthChecks { get; set; }
}
