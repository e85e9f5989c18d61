using Binko.AppHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace Binko.AppHost;

public static class Program
{
    public static int Main(string[] args) => CreateBuilder(args).Build().Run();

    /// <summary>Binko's topology. Tests build it through <c>DistributedApplicationTestingBuilder</c>.</summary>
    public static DistributedApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(args);

        var postgres = builder.AddPostgres("postgres");
        var binkodb = postgres.AddDatabase("binkodb");
        var redis = builder.AddRedis("redis");
        // Optional: without ConnectionStrings:llm the worker uses its offline generator.
        var llm = builder.AddConnectionString("llm");

        var api = builder.AddProject<Projects.Binko_Api>("api")
            .WithReference(binkodb).WaitFor(binkodb)
            .WithReference(redis).WaitFor(redis)
            // The api needs only the model name from it: it is part of the response-cache key.
            .WithReference(llm)
            // The api owns the schema: it migrates at start-up, and only then does its /health turn Healthy.
            .WithEnvironment("Database__ApplyMigrations", "true")
            .WithHttpEndpoint(port: 5080)
            .WithReplicas(builder.Configuration.GetValue("Replicas:Api", 1))
            .WithExternalHttpEndpoints();

        builder.AddProject<Projects.Binko_GenerationWorker>("generation-worker")
            .WithReference(binkodb).WithReference(redis).WithReference(llm)
            .WithReference(api)
            // The worker needs the schema the api applies; until then its /health is 503 and its queries would fail.
            .WaitFor(api)
            .WithReplicas(builder.Configuration.GetValue("Replicas:GenerationWorker", 1));

        return builder;
    }
}
