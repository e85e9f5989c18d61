using Binko.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Binko.Data.Configurations;

internal sealed class IdeaFeedbackConfiguration : IEntityTypeConfiguration<IdeaFeedback>
{
    public void Configure(EntityTypeBuilder<IdeaFeedback> feedback)
    {
        feedback.ToTable("feedback", table => table.HasCheckConstraint("ck_feedback_score", "score BETWEEN 0 AND 10"));
        feedback.Property(f => f.UserId).HasMaxLength(200);
        feedback.Property(f => f.Comment).HasMaxLength(2000);

        feedback.HasOne<GeneratedIdea>().WithMany().HasForeignKey(f => f.GeneratedIdeaId).OnDelete(DeleteBehavior.Cascade);
        // Covering for the learning statistics, which need only the verdicts of a person's feedback.
        feedback.HasIndex(f => new { f.UserId, f.GeneratedIdeaId }).IsUnique().IncludeProperties(f => new { f.Approved, f.Score });
        feedback.HasIndex(f => new { f.UserId, f.UpdatedAt });
    }
}
