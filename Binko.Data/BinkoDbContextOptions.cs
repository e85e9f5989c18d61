using Microsoft.EntityFrameworkCore;

namespace Binko.Data;

public static class BinkoDbContextOptions
{
    /// <summary>The conventions the schema was made with: snake_case tables and columns. Set on the options,
    /// not in OnConfiguring, because pooled contexts may not change their options.</summary>
    public static TBuilder UseBinkoConventions<TBuilder>(this TBuilder options) where TBuilder : DbContextOptionsBuilder
    {
        options.UseSnakeCaseNamingConvention();
        return options;
    }
}
