using Binko.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Binko.Data.Configurations;

internal sealed class ProductEventConfiguration : IEntityTypeConfiguration<ProductEvent>
{
    public void Configure(EntityTypeBuilder<ProductEvent> productEvent)
    {
        productEvent.ToTable("events");
        productEvent.Property(e => e.Id).UseIdentityAlwaysColumn();
        productEvent.Property(e => e.OwnerId).HasMaxLength(200);
        productEvent.Property(e => e.Name).HasMaxLength(100);
        productEvent.Property(e => e.SessionId).HasMaxLength(100);
        productEvent.Property(e => e.Properties).HasColumnType("jsonb");

        // Funnels are read per step over a time range.
        productEvent.HasIndex(e => new { e.Name, e.OccurredAt });
        // Retention deletes the oldest received first, in batches (Binko.Data.Retention). Built concurrently: the table
        // it is for may be large, and a plain CREATE INDEX would block event writes while it builds.
        productEvent.HasIndex(e => e.ReceivedAt).IsCreatedConcurrently();
    }
}
