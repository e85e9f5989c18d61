using System.Diagnostics;
using Binko.Data;
using Binko.ServiceDefaults.Clients;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace Binko.Tests.ServiceDefaults;

/// <summary>Aspire's Postgres and Redis client integrations as Binko's services configure them.</summary>
public sealed class ClientIntegrationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public void The_database_context_prepares_statements_retries_transient_failures_and_times_commands_out_after_30_s()
    {
        using var scope = api.Factory.Services.CreateScope();
        var database = scope.ServiceProvider.GetRequiredService<BinkoDbContext>().Database;

        Assert.Equal(NpgsqlConnectionDefaults.MaxAutoPrepare, new NpgsqlConnectionStringBuilder(database.GetConnectionString()).MaxAutoPrepare);
        Assert.True(database.CreateExecutionStrategy().RetriesOnFailure);
        Assert.Equal(30, database.GetCommandTimeout() ?? ((NpgsqlConnection)database.GetDbConnection()).CommandTimeout);
    }

    [Fact]
    public async Task Aspire_settings_configure_the_database_context_from_the_section_or_its_context_subsection()
    {
        await using var factory = WithSettings(
            ("Aspire:Npgsql:EntityFrameworkCore:PostgreSQL:BinkoDbContext:CommandTimeout", "7"),
            ("Aspire:Npgsql:EntityFrameworkCore:PostgreSQL:DisableRetry", "true"));

        using var scope = factory.Services.CreateScope();
        var database = scope.ServiceProvider.GetRequiredService<BinkoDbContext>().Database;

        Assert.Equal(7, database.GetCommandTimeout());
        Assert.False(database.CreateExecutionStrategy().RetriesOnFailure);
    }

    [Fact]
    public void The_dependency_checks_are_named_after_the_connections_and_Redis_is_a_soft_one()
    {
        var checks = HealthChecks(api.Factory);

        Assert.Equal(HealthStatus.Unhealthy, checks.Single(check => check.Name == "binkodb").FailureStatus);
        Assert.Equal(HealthStatus.Degraded, checks.Single(check => check.Name == "redis").FailureStatus);
    }

    [Fact]
    public async Task Aspire_DisableHealthChecks_settings_drop_the_dependency_checks_from_the_section_or_its_connection_subsection()
    {
        await using var factory = WithSettings(
            ("Aspire:Npgsql:EntityFrameworkCore:PostgreSQL:DisableHealthChecks", "true"),
            ("Aspire:StackExchange:Redis:redis:DisableHealthChecks", "true"));

        var names = HealthChecks(factory).Select(check => check.Name).ToList();

        Assert.DoesNotContain("binkodb", names);
        Assert.DoesNotContain("redis", names);
        Assert.Contains("schema", names);
    }

    [Fact]
    public async Task Npgsql_metrics_are_served_at_metrics()
    {
        using var client = api.CreateClient();

        var metrics = await client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        // The schema gate has queried the database by the time the API serves requests.
        Assert.Contains("# TYPE db_client_operation_duration_seconds histogram", metrics);
    }

    [Fact]
    public async Task Redis_commands_are_traced_under_the_activity_that_sends_them()
    {
        using var source = new ActivitySource(nameof(Redis_commands_are_traced_under_the_activity_that_sends_them));
        var traced = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
        ActivitySpanId parentId = default;
        using var listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate == source || candidate.Name == "OpenTelemetry.Instrumentation.StackExchangeRedis",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source != source && parentId != default && activity.ParentSpanId == parentId)
                    traced.TrySetResult(activity);
            },
        };
        ActivitySource.AddActivityListener(listener);
        var redis = api.Factory.Services.GetRequiredService<IConnectionMultiplexer>();

        using (var parent = source.StartActivity("test"))
        {
            parentId = parent!.SpanId;
            await redis.GetDatabase().PingAsync();
        }

        // The instrumentation turns profiled commands into activities every 10 s.
        var command = await traced.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(ActivityKind.Client, command.Kind);
    }

    private ApiFactory WithSettings(params (string Key, string Value)[] settings)
    {
        var all = ServiceSettings.For(api.Infrastructure, api.DatabaseConnectionString);
        foreach (var (key, value) in settings)
            all[key] = value;
        return new ApiFactory(all);
    }

    private static ICollection<HealthCheckRegistration> HealthChecks(ApiFactory factory) =>
        factory.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
}
