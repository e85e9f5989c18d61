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
    }
}
