using Binko.Data.Seed;
using Microsoft.EntityFrameworkCore;

namespace Binko.Data.Schema;

public static class DatabaseMigrator
{
    /// <summary>Applies pending migrations (EF Core takes a database lock, so replicas may race safely) and
    /// then the catalog seed. Running it again changes nothing.</summary>
    public static async Task MigrateAsync(BinkoDbContext db, CancellationToken cancellationToken = default)
    {
        await db.Database.MigrateAsync(cancellationToken);
        await CatalogSeed.ApplyAsync(db, cancellationToken);
    }
}
