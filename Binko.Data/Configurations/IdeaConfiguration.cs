using Binko.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Binko.Data.Configurations;

internal sealed class IdeaConfiguration : IEntityTypeConfiguration<Idea>
{
    public void Configure(EntityTypeBuilder<Idea> idea)
    {
        idea.ToTable(table =>
        {
            table.HasCheckConstraint("ck_ideas_estimated_hours", "estimated_hours BETWEEN 1 AND 1000");
            table.HasCheckConstraint("ck_ideas_difficulty", "difficulty IN ('beginner', 'intermediate', 'advanced')");
        });
        idea.Property(i => i.Slug).HasMaxLength(80);
        idea.Property(i => i.Title).HasMaxLength(120);
        idea.Property(i => i.Summary).HasMaxLength(2000);
        idea.Property(i => i.Category).HasMaxLength(40);
        idea.Property(i => i.Version).IsRowVersion();

        // Title weighs more than summary, so a title match ranks first. 'english'::regconfig keeps it immutable,
        // as a stored generated column requires.
        idea.Property(i => i.SearchVector)
            .HasComputedColumnSql(
                "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || " +
                "setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')",
                stored: true);

        idea.HasIndex(i => i.Slug).IsUnique();
        idea.HasIndex(i => i.SearchVector).HasMethod("gin");
        idea.HasIndex(i => i.Tags).HasMethod("gin");
        idea.HasIndex(i => i.Skills).HasMethod("gin");
        idea.HasIndex(i => new { i.Category, i.Id });
        idea.HasIndex(i => new { i.Difficulty, i.Id });
    }
}
