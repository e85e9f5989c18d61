using Binko.Data.Schema;
using Binko.ServiceDefaults.Clients;
using Microsoft.Extensions.Hosting;

namespace Binko.Data;

public static class BinkoDatabaseExtensions
{
    /// <summary>The pooled <see cref="BinkoDbContext"/> on the "binkodb" connection, and the schema gate that
    /// holds readiness until the schema is current.</summary>
    public static void AddBinkoDatabase(this IHostApplicationBuilder builder, SchemaGateOptions schema)
    {
        builder.AddBinkoNpgsqlDbContext<BinkoDbContext>("binkodb", options => options.UseBinkoConventions());
        builder.AddSchemaGate(schema);
    }
}
