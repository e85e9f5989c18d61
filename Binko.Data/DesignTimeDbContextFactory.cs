using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Binko.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<BinkoDbContext>
{
    public BinkoDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BinkoDbContext>().UseNpgsql("Host=localhost;Database=binkodb").UseBinkoConventions().Options);
}
