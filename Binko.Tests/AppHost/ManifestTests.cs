using System.Text.Json;

namespace Binko.Tests.AppHost;

/// <summary>`--publisher manifest` (what azd runs) writes Aspire's manifest for Azure Container Apps.</summary>
public sealed class ManifestTests(PublishedManifest published) : IClassFixture<PublishedManifest>
{
    private string ManifestPath => published.Path;
    private JsonElement Resources => published.Manifest.GetProperty("resources");

    [Fact]
    public void Postgres_and_redis_are_Aspire_containers_with_generated_secret_passwords()
    {
        var postgres = Resources.GetProperty("postgres");
        Assert.Equal("container.v0", postgres.GetProperty("type").GetString());
        Assert.StartsWith("docker.io/library/postgres:", postgres.GetProperty("image").GetString());
        Assert.Equal("Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Username=postgres;Password={postgres-password.value}",
            postgres.GetProperty("connectionString").GetString());
        Assert.Equal(5432, postgres.GetProperty("bindings").GetProperty("tcp").GetProperty("targetPort").GetInt32());
        Assert.Equal("{postgres.connectionString};Database=binkodb", Resources.GetProperty("binkodb").GetProperty("connectionString").GetString());

        var redis = Resources.GetProperty("redis");
        Assert.Equal("container.v0", redis.GetProperty("type").GetString());
        Assert.StartsWith("docker.io/library/redis:", redis.GetProperty("image").GetString());
        Assert.StartsWith("{redis.bindings.tcp.host}:{redis.bindings.tcp.port},password={redis-password.value}", redis.GetProperty("connectionString").GetString());
        Assert.Equal(6379, redis.GetProperty("bindings").GetProperty("tcp").GetProperty("targetPort").GetInt32());

        foreach (var name in new[] { "postgres-password", "redis-password" })
        {
            var input = Resources.GetProperty(name).GetProperty("inputs").GetProperty("value");
            Assert.True(input.GetProperty("secret").GetBoolean());
            Assert.True(input.GetProperty("default").GetProperty("generate").GetProperty("minLength").GetInt32() >= 22);
        }
    }

    /// <summary>The worker's connection string is made of three parameters, so that the api can be given the model's name
    /// alone: the key reaches the worker only.</summary>
    [Fact]
    public void The_llm_is_made_of_parameters_azd_asks_for_and_only_its_key_is_secret()
    {
        var llm = Resources.GetProperty("llm");
        Assert.Equal("value.v0", llm.GetProperty("type").GetString());
        Assert.Equal("Endpoint={llm-endpoint.value};Key={llm-key.value};Model={llm-model.value}", llm.GetProperty("connectionString").GetString());
        foreach (var (name, secret) in new[] { ("llm-endpoint", false), ("llm-key", true), ("llm-model", false) })
        {
            var parameter = Resources.GetProperty(name);
            Assert.Equal("parameter.v0", parameter.GetProperty("type").GetString());
            var input = parameter.GetProperty("inputs").GetProperty("value");
            Assert.Equal(secret, input.TryGetProperty("secret", out var flag) && flag.GetBoolean());
            Assert.False(input.TryGetProperty("default", out _), "there is no default LLM to deploy with");
        }
    }

    [Fact]
    public void Api_is_the_external_project_and_the_worker_an_internal_one()
    {
        var api = Resources.GetProperty("api");
        Assert.Equal("project.v0", api.GetProperty("type").GetString());
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(ManifestPath)!, api.GetProperty("path").GetString()!)), "api's path is relative to the manifest");
        var http = api.GetProperty("bindings").GetProperty("http");
        Assert.True(http.GetProperty("external").GetBoolean());
        Assert.False(http.TryGetProperty("port", out _), "5080 is a local port; the ingress has its own");

        var worker = Resources.GetProperty("generation-worker");
        Assert.Equal("project.v0", worker.GetProperty("type").GetString());
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(ManifestPath)!, worker.GetProperty("path").GetString()!)), "the worker's path is relative to the manifest");
        Assert.False(worker.GetProperty("bindings").GetProperty("http").TryGetProperty("external", out _), "the worker is internal");
    }

    /// <summary>Aspire's own setting: ASP.NET Core then believes the ingress's X-Forwarded-For, and Binko adds no second
    /// pass (Binko.Tests.Protection.ForwardedHeadersAndCorsTests).</summary>
    [Fact]
    public void The_api_takes_the_client_address_from_the_ingress()
    {
        Assert.Equal("true", Settings("api")["ASPNETCORE_FORWARDEDHEADERS_ENABLED"]);
    }

    [Fact]
    public void Projects_get_connection_strings_and_discovery_and_no_copies_of_secrets()
    {
        var api = Settings("api");
        var worker = Settings("generation-worker");

        Assert.Equal("{binkodb.connectionString}", api["ConnectionStrings__binkodb"]);
        Assert.Equal("{redis.connectionString}", api["ConnectionStrings__redis"]);
        Assert.Equal("true", api["Database__ApplyMigrations"]);
        Assert.Equal("{binkodb.connectionString}", worker["ConnectionStrings__binkodb"]);
        Assert.Equal("{redis.connectionString}", worker["ConnectionStrings__redis"]);
        Assert.Equal("{llm.connectionString}", worker["ConnectionStrings__llm"]);
        Assert.Equal("{api.bindings.http.url}", worker["services__api__http__0"]);
        Assert.All(new[] { api, worker }, settings =>
            Assert.DoesNotContain(settings.Values, value => value.Contains("-password.value}", StringComparison.Ordinal)));
        // Of the LLM the api gets the model's name, the one part of the response-cache key it lacks, and not the key.
        Assert.Equal("{llm-model.value}", api["Generation__Model"]);
        Assert.False(api.ContainsKey("ConnectionStrings__llm"), "the api has no use for the LLM's key");
        Assert.DoesNotContain(api.Values, value => value.Contains("{llm.", StringComparison.Ordinal) || value.Contains("{llm-key.", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_of_a_local_run_reaches_the_manifest()
    {
        Assert.False(Resources.TryGetProperty("postgres-init", out _));
        Assert.All(new[] { Settings("api"), Settings("generation-worker") }, settings =>
            Assert.False(settings.ContainsKey("ASPNETCORE_ENVIRONMENT"), "Development is for local runs"));
        Assert.DoesNotContain("127.0.0.1", published.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("setpriv", published.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(".binko", published.Text, StringComparison.Ordinal);
    }

    private Dictionary<string, string> Settings(string project) =>
        Resources.GetProperty(project).GetProperty("env").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
}
