using Binko.Data;
using Microsoft.EntityFrameworkCore;

namespace Binko.Backup;

/// <summary>The last migration in this build of Binko.Data: what the services of the same build expect to find.</summary>
public static class ExpectedMigration
{
    public static string? Id { get; } = FindLatest();

    private static string? FindLatest()
    {
        // No connection is made: the migrations are read from the assembly.
        using var db = new BinkoDbContext(new DbContextOptionsBuilder<BinkoDbContext>().UseNpgsql().Options);
        return db.Database.GetMigrations().LastOrDefault();
    }
}
