using Binko.Data.Entities;
using Binko.Data.Generations;
using Binko.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Binko.Tests.Data;

/// <summary>GenerationRows writes entities as JSON that Postgres turns into table rows: every column must come back as
/// EF Core reads it, whatever the enum word.</summary>
public sealed class GenerationRowsTests(TestInfrastructure infrastructure)
{
    [Fact]
    public async Task Every_column_of_a_generation_and_its_ideas_round_trips_for_every_status_and_kind()
    {
        await using var db = infrastructure.CreateDbContext(await infrastructure.CreateMigratedDatabaseAsync());
        var ct = TestContext.Current.CancellationToken;
        var catalogIdea = await db.Ideas.Select(i => i.Id).FirstAsync(ct);
        // Postgres keeps microseconds: whole milliseconds compare exactly.
        var at = new DateTimeOffset(2026, 11, 24, 8, 30, 15, 123, TimeSpan.Zero);
        var written = (from status in Enum.GetValues<GenerationStatus>()
                       from kind in Enum.GetValues<GenerationKind>()
                       select NewGeneration(status, kind, at, catalogIdea)).ToList();

        foreach (var generation in written)
            await GenerationRows.InsertAsync(db, generation, ct);

        var read = await db.Generations.AsNoTracking().Include(g => g.Ideas.OrderBy(i => i.Position)).ToListAsync(ct);
        Assert.Equal(written.Count, read.Count);
        foreach (var expected in written)
            Assert.Equivalent(expected, read.Single(g => g.Id == expected.Id), strict: true);
    }

    [Fact]
    public async Task Inserting_the_same_generation_again_stores_it_once()
    {
        await using var db = infrastructure.CreateDbContext(await infrastructure.CreateMigratedDatabaseAsync());
        var ct = TestContext.Current.CancellationToken;
        var generation = NewGeneration(GenerationStatus.Completed, GenerationKind.Generate, DateTimeOffset.UtcNow, await db.Ideas.Select(i => i.Id).FirstAsync(ct));

        // As the retry strategy would after a commit whose reply was lost.
        await GenerationRows.InsertAsync(db, generation, ct);
        await GenerationRows.InsertAsync(db, generation, ct);

        Assert.Equal(1, await db.Generations.CountAsync(g => g.Id == generation.Id, ct));
        Assert.Equal(generation.Ideas.Count, await db.GeneratedIdeas.CountAsync(i => i.GenerationId == generation.Id, ct));
    }

    private static Binko.Data.Entities.Generation NewGeneration(GenerationStatus status, GenerationKind kind, DateTimeOffset at, Guid catalogIdea)
    {
        var generation = new Binko.Data.Entities.Generation
        {
            OwnerId = $"user:{status}-{kind}",
            Kind = kind,
            Status = status,
            NumIdeas = 3,
            Request = """{"num_ideas": 3}""",
            ContentHash = new string('a', 64),
            Model = "model-x",
            Degraded = true,
            Cached = true,
            ErrorCode = "llm_unavailable",
            PromptTokens = 120,
            CompletionTokens = 340,
            QuotaDay = new DateOnly(2026, 11, 24),
            Attempts = 2,
            AvailableAt = at,
            LeaseOwner = "worker-1",
            LeaseExpiresAt = at.AddSeconds(30),
            LeaseToken = Guid.NewGuid(),
            CreatedAt = at,
            StartedAt = at.AddSeconds(1),
            CompletedAt = at.AddSeconds(2),
            TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            TraceState = "vendor=value",
        };
        generation.Ideas =
        [
            .. Enum.GetValues<SkillLevel>().Select((level, position) =>
                new IdeaDraft($"Idea {position}", "A summary.", level, "web", ["tag-a", "tag-b"], ["csharp"], 5 + position,
                    position == 0 ? catalogIdea : null).ToEntity(generation.Id, position)),
        ];
        foreach (var idea in generation.Ideas)
            idea.CreatedAt = at;
        return generation;
    }
}
