using Binko.Data.Entities;
using Binko.Data.Generations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Binko.Data.Configurations;

internal sealed class GenerationConfiguration : IEntityTypeConfiguration<Generation>
{
    public void Configure(EntityTypeBuilder<Generation> generation)
    {
        generation.ToTable(table => table.HasCheckConstraint("ck_generations_num_ideas", "num_ideas BETWEEN 1 AND 10"));
        generation.Property(g => g.OwnerId).HasMaxLength(200);
        generation.Property(g => g.Plan).HasMaxLength(16);
        generation.Property(g => g.Request).HasColumnType("jsonb");
        generation.Property(g => g.ContentHash).HasMaxLength(64);
        generation.Property(g => g.Model).HasMaxLength(200);
        generation.Property(g => g.ErrorCode).HasMaxLength(64);
        generation.Property(g => g.LeaseOwner).HasMaxLength(200);
        generation.Property(g => g.TraceParent).HasMaxLength(JobTraceContext.TraceParentLength);
        generation.Property(g => g.TraceState).HasMaxLength(JobTraceContext.MaxTraceStateLength);

        generation.HasMany(g => g.Ideas).WithOne().HasForeignKey(i => i.GenerationId).OnDelete(DeleteBehavior.Cascade);

        // "My generations, newest first": ids are UUIDv7, so id order is creation order.
        generation.HasIndex(g => new { g.OwnerId, g.Id }).IsDescending(false, true);

        // The worker's two claim queries: due queued jobs, and running jobs whose lease ran out.
        generation.HasIndex(g => g.AvailableAt).HasFilter("status = 'queued'").HasDatabaseName("ix_generations_queued");
        generation.HasIndex(g => g.LeaseExpiresAt).HasFilter("status = 'running'").HasDatabaseName("ix_generations_leased");

        // The intake's count of one owner's queued and running jobs (their in-flight cap), without visiting their history.
        generation.HasIndex(g => g.OwnerId).HasFilter("status IN ('queued', 'running')").HasDatabaseName("ix_generations_owner_in_flight");
    }
}
