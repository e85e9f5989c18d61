namespace Binko.Tests.AppHost;

/// <summary>
/// The tests that run the whole AppHost take turns: each run has its own DCP, Postgres, Redis and .NET services, and
/// two at once on a small machine would only slow each other down (and the stop test counts DCP's processes).
/// </summary>
[CollectionDefinition(Name)]
public sealed class AppHostCollection
{
    public const string Name = "AppHost";
}
