using Binko.Data.Seed;

namespace Binko.Tests.Data;

public sealed class SeedCatalogTests
{
    [Fact]
    public void Seed_has_at_least_150_distinct_ideas_across_levels_and_categories()
    {
        var ideas = CatalogSeed.Load();

        Assert.True(ideas.Count >= 150, $"only {ideas.Count} seed ideas");
        Assert.Equal(ideas.Count, ideas.Select(i => i.GetProperty("slug").GetString()).Distinct().Count());
        Assert.Equal(ideas.Count, ideas.Select(i => i.GetProperty("title").GetString()!.ToLowerInvariant()).Distinct().Count());
        Assert.Equal(["advanced", "beginner", "intermediate"],
            ideas.Select(i => i.GetProperty("difficulty").GetString()).Distinct().Order());
        Assert.True(ideas.Select(i => i.GetProperty("category").GetString()).Distinct().Count() >= 5);
        Assert.All(ideas, i => Assert.InRange(i.GetProperty("estimated_hours").GetInt32(), 1, 1000));
    }
}
