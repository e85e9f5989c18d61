using System.Text.Json;
using AppHostProgram = Binko.AppHost.Program;

namespace Binko.Tests.AppHost;

/// <summary>`--publisher manifest` writes what azd needs to deploy Binko to Azure Container Apps.</summary>
public sealed class ManifestPublisherTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("binko-manifest-test-");

    public void Dispose() => _directory.Delete(recursive: true);

    /// <summary>Nested like azd's output, so the project paths must climb out with "../".</summary>
    private string ManifestDirectory => Path.Combine(_directory.FullName, "out");

    [Fact]
    public async Task Manifest_declares_every_resource_with_what_azd_needs()
    {
        var manifest = await PublishAsync();
        var resources = manifest.GetProperty("resources");

        Assert.Equal("https://json.schemastore.org/aspire-8.0.json", manifest.GetProperty("$schema").GetString());
        Assert.Equal(
            ["postgres-password", "postgres", "binkodb", "redis-password", "redis", "llm", "api", "generation-worker"],
            resources.EnumerateObject().Select(p => p.Name));

        var postgres = resources.GetProperty("postgres");
        Assert.Equal("container.v0", postgres.GetProperty("type").GetString());
        Assert.StartsWith("docker.io/library/postgres:", postgres.GetProperty("image").GetString());
        Assert.Equal("Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Username=postgres;Password={postgres-password.value}",
            postgres.GetProperty("connectionString").GetString());
        Assert.Equal("postgres", postgres.GetProperty("env").GetProperty("POSTGRES_USER").GetString());
        Assert.Equal("{postgres-password.value}", postgres.GetProperty("env").GetProperty("POSTGRES_PASSWORD").GetString());
        AssertTcpBinding(postgres, 5432);

        var binkodb = resources.GetProperty("binkodb");
        Assert.Equal("value.v0", binkodb.GetProperty("type").GetString());
        Assert.Equal("{postgres.connectionString};Database=binkodb", binkodb.GetProperty("connectionString").GetString());

        var redis = resources.GetProperty("redis");
        Assert.Equal("container.v0", redis.GetProperty("type").GetString());
        Assert.StartsWith("docker.io/library/redis:", redis.GetProperty("image").GetString());
        Assert.Equal("{redis.bindings.tcp.host}:{redis.bindings.tcp.port},password={redis-password.value}", redis.GetProperty("connectionString").GetString());
        Assert.Contains(redis.GetProperty("args").EnumerateArray(), a => a.GetString()!.Contains("--requirepass", StringComparison.Ordinal));
        AssertTcpBinding(redis, 6379);

        foreach (var name in new[] { "postgres-password", "redis-password" })
        {
            var parameter = resources.GetProperty(name);
            Assert.Equal("parameter.v0", parameter.GetProperty("type").GetString());
            Assert.Equal($"{{{name}.inputs.value}}", parameter.GetProperty("value").GetString());
            var input = parameter.GetProperty("inputs").GetProperty("value");
            Assert.Equal("string", input.GetProperty("type").GetString());
            Assert.True(input.GetProperty("secret").GetBoolean());
            Assert.True(input.GetProperty("default").GetProperty("generate").GetProperty("minLength").GetInt32() >= 22);
        }

        var llm = resources.GetProperty("llm");
        Assert.Equal("parameter.v0", llm.GetProperty("type").GetString());
        Assert.Equal("{llm.value}", llm.GetProperty("connectionString").GetString());
        Assert.True(llm.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());

        var api = resources.GetProperty("api");
        Assert.Equal("project.v0", api.GetProperty("type").GetString());
        Assert.True(File.Exists(Path.Combine(ManifestDirectory, api.GetProperty("path").GetString()!)), "api's path is relative to the manifest");
        Assert.EndsWith("Binko.Api.csproj", api.GetProperty("path").GetString());
        var apiEnv = api.GetProperty("env");
        Assert.Equal("{binkodb.connectionString}", apiEnv.GetProperty("ConnectionStrings__binkodb").GetString());
        Assert.Equal("{redis.connectionString}", apiEnv.GetProperty("ConnectionStrings__redis").GetString());
        Assert.Equal("true", apiEnv.GetProperty("Database__ApplyMigrations").GetString());
        Assert.Equal("true", apiEnv.GetProperty("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES").GetString());
        Assert.Equal("{api.bindings.http.targetPort}", apiEnv.GetProperty("HTTP_PORTS").GetString());
        Assert.True(api.GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
        Assert.Equal("http", api.GetProperty("bindings").GetProperty("http").GetProperty("scheme").GetString());

        var worker = resources.GetProperty("generation-worker");
        Assert.Equal("project.v0", worker.GetProperty("type").GetString());
        Assert.True(File.Exists(Path.Combine(ManifestDirectory, worker.GetProperty("path").GetString()!)), "the worker's path is relative to the manifest");
        var workerEnv = worker.GetProperty("env");
        Assert.Equal("{binkodb.connectionString}", workerEnv.GetProperty("ConnectionStrings__binkodb").GetString());
        Assert.Equal("{redis.connectionString}", workerEnv.GetProperty("ConnectionStrings__redis").GetString());
        Assert.Equal("{llm.connectionString}", workerEnv.GetProperty("ConnectionStrings__llm").GetString());
        Assert.Equal("{api.bindings.http.url}", workerEnv.GetProperty("services__api__http__0").GetString());
        Assert.False(worker.GetProperty("bindings").GetProperty("http").TryGetProperty("external", out _), "the worker is internal");
    }

    [Fact]
    public async Task Manifest_holds_no_secret_values()
    {
        var text = await File.ReadAllTextAsync(await PublishPathAsync(), TestContext.Current.CancellationToken);

        Assert.DoesNotContain("Password=", text.Replace("Password={postgres-password.value}", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
    }

    private async Task<JsonElement> PublishAsync()
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(await PublishPathAsync(), TestContext.Current.CancellationToken));
        return document.RootElement.Clone();
    }

    private async Task<string> PublishPathAsync()
    {
        var path = Path.Combine(ManifestDirectory, "manifest.json");
        var builder = AppHostProgram.CreateBuilder(["--publisher", "manifest", "--output-path", path]);
        builder.Output = TextWriter.Null;
        var error = new StringWriter();
        builder.Error = error;

        var exitCode = await builder.Build().RunAsync(TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0, $"publish failed ({exitCode}): {error}");
        return path;
    }

    private static void AssertTcpBinding(JsonElement resource, int targetPort)
    {
        var tcp = resource.GetProperty("bindings").GetProperty("tcp");
        Assert.Equal("tcp", tcp.GetProperty("scheme").GetString());
        Assert.Equal("tcp", tcp.GetProperty("protocol").GetString());
        Assert.Equal("tcp", tcp.GetProperty("transport").GetString());
        Assert.Equal(targetPort, tcp.GetProperty("targetPort").GetInt32());
    }
}
