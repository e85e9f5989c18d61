using Binko.Data;
using Binko.Data.Schema;
using Binko.ServiceDefaults.Clients;

namespace Binko.GenerationWorker.Extensions;

public static class WorkerServiceExtensions
{
    public static void AddWorkerServices(this IHostApplicationBuilder builder)
    {
        // The worker never migrates: it waits until the API (or a deployment step) has.
        builder.AddBinkoDatabase(new SchemaGateOptions(ApplyMigrations: false));
        builder.AddBinkoRedisClient("redis");
    }
}
