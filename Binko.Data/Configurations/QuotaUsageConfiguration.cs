using Binko.Data.Entities;
using Binko.Data.Quotas;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Binko.Data.Configurations;

internal sealed class QuotaUsageConfiguration : IEntityTypeConfiguration<QuotaUsage>
{
    public void Configure(EntityTypeBuilder<QuotaUsage> usage)
    {
        usage.ToTable("quota_usage", table => table.HasCheckConstraint("ck_quota_usage_used", "used >= 0"));
        usage.HasKey(u => new { u.SubjectId, u.Day });
        usage.Property(u => u.SubjectId).HasMaxLength(QuotaLedger.MaxSubjectLength);
    }
}
