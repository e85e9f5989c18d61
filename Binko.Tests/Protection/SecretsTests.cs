using System.Net;
using System.Text.Json;
using Binko.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using StackExchange.Redis;

namespace Binko.Tests.Protection;

public sealed class SecretsTests(TestInfrastructure infrastructure)
{
    [Fact]
    public async Task Secrets_in_configuration_never_appear_in_logs_health_output_or_problems()
    {
        // A Production API whose database does not exist: requests fail, health fails, errors are logged.
        var database = new NpgsqlConnectionStringBuilder(await infrastructure.CreateMigratedDatabaseAsync()) { Database = "binko_does_not_exist" };
        var settings = ProtectionSettings.For(infrastructure, database.ConnectionString, ("environment", "Production"));
        var secrets = new[]
        {
            database.Password!,
            ConfigurationOptions.Parse(infrastructure.Redis.GetConnectionString()).Password!,
            TestTokens.SigningKey,
        };
        await using var api = new ProtectedApi(settings, services: services => services.AddLogging(logging => logging.AddFakeLogging()));
        using var client = api.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        using var failing = await client.GetAsync("/api/v1/ideas", ct);
        using var health = await client.GetAsync("/health", ct);
        using var forged = await client.WithToken(TestTokens.Create("forger", signingKey: Convert.ToBase64String(new byte[32])))
            .GetAsync("/api/v1/me/profile", ct);
        using var user = await api.CreateClient().WithToken(TestTokens.User("secret-user")).GetAsync("/api/v1/me/profile", ct);

        Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        var logs = api.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, record => record.Level >= LogLevel.Error && record.Exception is not null); // the failure was logged
        var texts = logs.SelectMany(record => new[] { record.Message, record.Exception?.ToString() ?? "" }
                .Concat(record.StructuredState?.Select(pair => pair.Value ?? "") ?? []))
            .Append(await failing.Content.ReadAsStringAsync(ct))
            .Append(await health.Content.ReadAsStringAsync(ct))
            .Append(await forged.Content.ReadAsStringAsync(ct))
            .Append(await user.Content.ReadAsStringAsync(ct))
            .ToList();
        foreach (var secret in secrets)
            Assert.DoesNotContain(texts, text => text.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Production_problem_responses_carry_no_exception_text()
    {
        var database = new NpgsqlConnectionStringBuilder(await infrastructure.CreateMigratedDatabaseAsync()) { Database = "binko_missing_db" };
        await using var api = new ProtectedApi(ProtectionSettings.For(infrastructure, database.ConnectionString, ("environment", "Production")));
        using var client = api.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        using var response = await client.GetAsync("/api/v1/ideas", ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(ct);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("internal_error", problem.GetProperty("error_code").GetString());
        Assert.False(problem.TryGetProperty("exception", out _));
        foreach (var leak in new[] { "binko_missing_db", "Npgsql", "3D000", "Exception", "   at " })
            Assert.DoesNotContain(leak, body);
    }
}
