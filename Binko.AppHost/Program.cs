using Binko.AppHost;
using Binko.AppHost.Postgres;
using Binko.AppHost.Redis;
using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);
var settings = builder.Configuration;
var publishing = builder.ExecutionContext.IsPublishMode;

// Publish mode (what azd deploys) declares Aspire's own postgres and redis containers. Run mode starts them as local
// processes under the same names, so a machine without a container engine runs Binko with one command.
IResourceBuilder<IResourceWithConnectionString> binkodb = publishing
    ? builder.AddPostgres("postgres").AddDatabase("binkodb")
    : builder.AddLocalPostgres("postgres", settings.GetPort("Ports:Postgres")).AddDatabase("binkodb");
IResourceBuilder<IResourceWithConnectionString> redis = publishing
    ? builder.AddRedis("redis")
    : builder.AddLocalRedis("redis", settings.GetPort("Ports:Redis"));

// Binko's services read only ConnectionStrings__* and services__*: no copies of the secrets in other variables.
const ReferenceEnvironmentInjectionFlags references = ReferenceEnvironmentInjectionFlags.ConnectionString | ReferenceEnvironmentInjectionFlags.ServiceDiscovery;

var api = builder.AddProject<Projects.Binko_Api>("api")
    .WithReferenceEnvironment(references)
    .WithReference(binkodb).WaitFor(binkodb)
    .WithReference(redis).WaitFor(redis)
    // The api owns the schema: it migrates at start-up, and only then does its /health turn Healthy.
    .WithEnvironment("Database__ApplyMigrations", "true")
    // A local port; a deployment gives its ingress its own.
    .WithHttpEndpoint(port: publishing ? null : settings.GetPort("Ports:Api", 5080))
    .WithHttpHealthCheck("/health")
    .WithReplicas(settings.GetValue("Replicas:Api", 1))
    .WithExternalHttpEndpoints();

var worker = builder.AddProject<Projects.Binko_GenerationWorker>("generation-worker")
    .WithReferenceEnvironment(references)
    .WithReference(binkodb).WithReference(redis)
    .WithReference(api)
    // The worker needs the schema the api applies; until then its /health is 503 and its queries would fail.
    .WaitFor(api)
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithReplicas(settings.GetValue("Replicas:GenerationWorker", 1));

// Optional locally: without ConnectionStrings:llm the worker uses its offline generator. A deployment asks for it.
if (builder.AddLlm() is { } llm)
{
    worker.WithReference(llm.Connection);
    // The api needs only the model's name (a part of the response-cache key), never the key.
    api.WithLlmModel(llm);
}

if (builder.ExecutionContext.IsRunMode)
    builder.AddLocalRunDefaults(api, worker);

builder.Build().Run();
