namespace Binko.AppHost;

/// <summary>The orchestrator comes next; for now the project holds the Postgres and Redis runners the tests use.</summary>
public static class Program
{
    public static void Main() { }
}
