using Binko.GenerationWorker.Extensions;
using Binko.ServiceDefaults;

namespace Binko.GenerationWorker;

public sealed class Program
{
    public static void Main(string[] args)
    {
        // A web host only for /health, /alive and /metrics: container probes and the AppHost's WaitFor need them.
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddWorkerServices();
        builder.AddIdeaGenerator();
        builder.AddGenerationJobs();
        builder.AddRetention();

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();

        app.Run();
    }
}
