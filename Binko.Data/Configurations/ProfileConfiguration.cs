using Binko.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Binko.Data.Configurations;

internal sealed class ProfileConfiguration : IEntityTypeConfiguration<Profile>
{
    public void Configure(EntityTypeBuilder<Profile> profile)
    {
        profile.ToTable(table => table.HasCheckConstraint("ck_profiles_weekly_hours", "weekly_hours BETWEEN 0 AND 168"));
        profile.HasKey(p => p.UserId);
        profile.Property(p => p.UserId).HasMaxLength(200);
        profile.Property(p => p.Goals).HasMaxLength(2000);
        profile.Property(p => p.Version).IsRowVersion();
    }
}
