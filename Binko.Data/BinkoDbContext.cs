using Binko.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Binko.Data;

/// <summary>Binko's schema, shared by the API and the generation worker. Tables and columns are snake_case
/// (configure the options with <see cref="BinkoDbContextOptions.UseBinkoConventions"/>).</summary>
public sealed class BinkoDbContext(DbContextOptions<BinkoDbContext> options) : DbContext(options)
{
    public DbSet<Idea> Ideas => Set<Idea>();
    public DbSet<Profile> Profiles => Set<Profile>();
    public DbSet<Generation> Generations => Set<Generation>();
    public DbSet<GeneratedIdea> GeneratedIdeas => Set<GeneratedIdea>();
    public DbSet<IdeaFeedback> Feedback => Set<IdeaFeedback>();
    public DbSet<QuotaUsage> QuotaUsage => Set<QuotaUsage>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<ProductEvent> Events => Set<ProductEvent>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<SkillLevel>().HaveConversion<LowerCaseEnumConverter<SkillLevel>>().HaveMaxLength(16);
        configurationBuilder.Properties<GenerationStatus>().HaveConversion<LowerCaseEnumConverter<GenerationStatus>>().HaveMaxLength(16);
        configurationBuilder.Properties<GenerationKind>().HaveConversion<LowerCaseEnumConverter<GenerationKind>>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BinkoDbContext).Assembly);
}
