using Binko.Data.Entities;
using Binko.Data.Schema;
using Binko.Data.Seed;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Binko.Tests.Data;

public sealed class MigrationTests(TestInfrastructure infrastructure)
{
    [Fact]
    public async Task Migrations_apply_on_an_empty_database_and_seed_the_catalog()
    {
        await using var db = infrastructure.CreateDbContext(await infrastructure.CreateEmptyDatabaseAsync());
        var ct = TestContext.Current.CancellationToken;

        await DatabaseMigrator.MigrateAsync(db, ct);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync(ct));
        Assert.Equal(CatalogSeed.Load().Count, await db.Ideas.CountAsync(ct));
        Assert.True(await db.Ideas.CountAsync(ct) >= 150);
        Assert.Equal([SkillLevel.Beginner, SkillLevel.Intermediate, SkillLevel.Advanced],
            (await db.Ideas.Select(i => i.Difficulty).Distinct().ToListAsync(ct)).Order());
        Assert.True(await db.Ideas.Select(i => i.Category).Distinct().CountAsync(ct) >= 5);
    }

    [Fact]
    public async Task Migrating_again_changes_nothing()
    {
        await using var db = infrastructure.CreateDbContext(await infrastructure.CreateEmptyDatabaseAsync());
        var ct = TestContext.Current.CancellationToken;
        await DatabaseMigrator.MigrateAsync(db, ct);
        var ideasBefore = await db.Ideas.OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(ct);

        await DatabaseMigrator.MigrateAsync(db, ct);

        Assert.Equal(ideasBefore, await db.Ideas.OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(ct));
        Assert.Equal(0, await CatalogSeed.ApplyAsync(db, ct));
    }

    [Fact]
    public async Task Full_text_search_vector_weighs_title_above_summary()
    {
        await using var db = infrastructure.CreateDbContext(await infrastructure.CreateMigratedDatabaseAsync());
        var ct = TestContext.Current.CancellationToken;
        db.Ideas.AddRange(
            new Idea { Slug = "in-title", Title = "Zebra stripes renderer", Summary = "Draws patterns.", Category = "games", EstimatedHours = 5 },
            new Idea { Slug = "in-summary", Title = "Pattern renderer", Summary = "Draws zebra stripes.", Category = "games", EstimatedHours = 5 });
        await db.SaveChangesAsync(ct);

        var ranked = await db.Ideas
            .Where(i => i.SearchVector.Matches(EF.Functions.WebSearchToTsQuery("english", "zebra")))
            .OrderByDescending(i => i.SearchVector.Rank(EF.Functions.WebSearchToTsQuery("english", "zebra")))
            .Select(i => i.Slug)
            .ToListAsync(ct);

        Assert.Equal(["in-title", "in-summary"], ranked);
    }
}
