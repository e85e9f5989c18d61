using Binko.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Binko.Data.Configurations;

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> record)
    {
        record.ToTable("idempotency_keys");
        record.HasKey(r => new { r.OwnerId, r.Key });
        record.Property(r => r.OwnerId).HasMaxLength(200);
        record.Property(r => r.Key).HasMaxLength(255);
        record.Property(r => r.RequestHash).HasMaxLength(64);
        record.HasOne<Generation>().WithMany().HasForeignKey(r => r.GenerationId).OnDelete(DeleteBehavior.Cascade);
        record.HasIndex(r => r.ExpiresAt);
    }
}
