using System.Text.Json;
using System.Text.Json.Nodes;
using Binko.AppHost.Hosting;

namespace Binko.AppHost.Publishing;

/// <summary>
/// Writes the Aspire deployment manifest (schema https://json.schemastore.org/aspire-8.0.json) that azd turns into
/// Azure Container Apps: container.v0 for Postgres and Redis, value.v0 for databases, parameter.v0 for secrets and
/// external connection strings, project.v0 for projects. Expressions such as <c>{postgres.connectionString}</c> are
/// resolved by the deployment tool.
/// </summary>
public static class ManifestPublisher
{
    public const string SchemaUrl = "https://json.schemastore.org/aspire-8.0.json";

    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    public static async Task WriteAsync(IReadOnlyList<IResource> resources, string path, CancellationToken cancellationToken = default)
    {
        var manifestDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(manifestDirectory);
        var manifest = Build(resources, manifestDirectory);
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, manifest, WriteOptions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The manifest; project paths are relative to <paramref name="manifestDirectory"/>.</summary>
    public static JsonObject Build(IReadOnlyList<IResource> resources, string manifestDirectory)
    {
        var entries = new JsonObject();
        foreach (var resource in resources)
        {
            entries[resource.Name] = resource switch
            {
                PostgresServerResource postgres => Postgres(postgres),
                PostgresDatabaseResource database => new JsonObject
                {
                    ["type"] = "value.v0",
                    ["connectionString"] = $"{{{database.Parent.Name}.connectionString}};Database={database.DatabaseName}",
                },
                RedisResource redis => Redis(redis),
                ParameterResource parameter => Parameter(parameter),
                ConnectionStringResource connectionString => ConnectionString(connectionString),
                ProjectResource project => Project(project, manifestDirectory),
                _ => throw new NotSupportedException($"{resource} has no manifest form."),
            };
        }
        return new JsonObject { ["$schema"] = SchemaUrl, ["resources"] = entries };
    }

    private static JsonObject Postgres(PostgresServerResource postgres)
    {
        var n = postgres.Name;
        var password = $"{{{postgres.Password.Name}.value}}";
        return new JsonObject
        {
            ["type"] = "container.v0",
            ["connectionString"] = $"Host={{{n}.bindings.tcp.host}};Port={{{n}.bindings.tcp.port}};Username={PostgresServerResource.UserName};Password={password}",
            ["image"] = $"{PostgresServerResource.Image}:{PostgresServerResource.ImageTag}",
            ["env"] = new JsonObject
            {
                ["POSTGRES_HOST_AUTH_METHOD"] = "scram-sha-256",
                ["POSTGRES_INITDB_ARGS"] = "--auth-host=scram-sha-256 --auth-local=scram-sha-256",
                ["POSTGRES_USER"] = PostgresServerResource.UserName,
                ["POSTGRES_PASSWORD"] = password,
            },
            ["bindings"] = new JsonObject { ["tcp"] = TcpBinding(PostgresServerResource.TargetPort) },
        };
    }

    private static JsonObject Redis(RedisResource redis)
    {
        var n = redis.Name;
        var password = $"{{{redis.Password.Name}.value}}";
        return new JsonObject
        {
            ["type"] = "container.v0",
            ["connectionString"] = $"{{{n}.bindings.tcp.host}}:{{{n}.bindings.tcp.port}},password={password}",
            ["image"] = $"{RedisResource.Image}:{RedisResource.ImageTag}",
            // As current Aspire does: the password comes from the environment, not the container's visible command line.
            ["entrypoint"] = "/bin/sh",
            ["args"] = new JsonArray("-c", "redis-server --requirepass $REDIS_PASSWORD"),
            ["env"] = new JsonObject { ["REDIS_PASSWORD"] = password },
            ["bindings"] = new JsonObject { ["tcp"] = TcpBinding(RedisResource.TargetPort) },
        };
    }

    private static JsonObject Parameter(ParameterResource parameter)
    {
        var input = new JsonObject { ["type"] = "string", ["secret"] = parameter.Secret };
        if (parameter.GeneratedMinLength > 0)
        {
            var generate = new JsonObject { ["minLength"] = parameter.GeneratedMinLength };
            if (!parameter.GeneratedSpecial)
                generate["special"] = false;
            input["default"] = new JsonObject { ["generate"] = generate };
        }
        return new JsonObject
        {
            ["type"] = "parameter.v0",
            ["value"] = $"{{{parameter.Name}.inputs.value}}",
            ["inputs"] = new JsonObject { ["value"] = input },
        };
    }

    /// <summary>AddConnectionString: a secret parameter whose value is the connection string, as Aspire writes it.</summary>
    private static JsonObject ConnectionString(ConnectionStringResource resource) => new()
    {
        ["type"] = "parameter.v0",
        ["connectionString"] = $"{{{resource.Name}.value}}",
        ["value"] = $"{{{resource.Name}.inputs.value}}",
        ["inputs"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "string", ["secret"] = true } },
    };

    private static JsonObject Project(ProjectResource project, string manifestDirectory)
    {
        var n = project.Name;
        var env = new JsonObject();
        foreach (var (name, value) in AspireEnvironment.OtlpExporterDefaults)
            env[name] = value;
        env["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true";
        env["HTTP_PORTS"] = $"{{{n}.bindings.http.targetPort}}";
        foreach (var reference in project.References)
        {
            switch (reference)
            {
                case ProjectResource target:
                    env[AspireEnvironment.ServiceEndpoint(target.Name, "http", 0)] = $"{{{target.Name}.bindings.http.url}}";
                    env[AspireEnvironment.ServiceEndpoint(target.Name, "https", 0)] = $"{{{target.Name}.bindings.https.url}}";
                    break;
                case IResourceWithConnectionString source:
                    env[AspireEnvironment.ConnectionString(source.Name)] = $"{{{source.Name}.connectionString}}";
                    break;
            }
        }
        foreach (var (name, value) in project.Environment)
            env[name] = value;

        return new JsonObject
        {
            ["type"] = "project.v0",
            ["path"] = Path.GetRelativePath(manifestDirectory, project.Metadata.ProjectPath).Replace('\\', '/'),
            ["env"] = env,
            ["bindings"] = new JsonObject
            {
                ["http"] = HttpBinding("http", project.ExternalHttpEndpoints),
                ["https"] = HttpBinding("https", project.ExternalHttpEndpoints),
            },
        };
    }

    private static JsonObject TcpBinding(int targetPort) => new()
    {
        ["scheme"] = "tcp",
        ["protocol"] = "tcp",
        ["transport"] = "tcp",
        ["targetPort"] = targetPort,
    };

    private static JsonObject HttpBinding(string scheme, bool external)
    {
        var binding = new JsonObject { ["scheme"] = scheme, ["protocol"] = "tcp", ["transport"] = "http" };
        if (external)
            binding["external"] = true;
        return binding;
    }
}
