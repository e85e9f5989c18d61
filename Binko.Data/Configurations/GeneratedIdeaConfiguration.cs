using Binko.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Binko.Data.Configurations;

internal sealed class GeneratedIdeaConfiguration : IEntityTypeConfiguration<GeneratedIdea>
{
    public void Configure(EntityTypeBuilder<GeneratedIdea> idea)
    {
        idea.Property(i => i.Title).HasMaxLength(200);
        idea.Property(i => i.Summary).HasMaxLength(4000);
        idea.Property(i => i.Category).HasMaxLength(40);

        idea.HasIndex(i => new { i.GenerationId, i.Position }).IsUnique();
        // Learning statistics read a person's ideas by generation without visiting the table (an index-only scan).
        idea.HasIndex(i => i.GenerationId).IncludeProperties(i => new { i.Id, i.Category, i.Difficulty, i.CreatedAt })
            .HasDatabaseName("ix_generated_ideas_generation_id_stats");
        idea.HasOne<Idea>().WithMany().HasForeignKey(i => i.SourceIdeaId).OnDelete(DeleteBehavior.SetNull);
        idea.HasOne<GeneratedIdea>().WithMany().HasForeignKey(i => i.RefinedFromId).OnDelete(DeleteBehavior.SetNull);
    }
}
