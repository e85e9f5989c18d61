using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Binko.Data.Migrations
{
    /// <inheritdoc />
    public partial class GenerationLeaseToken : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "lease_token",
                table: "generations",
                type: "uuid",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "lease_token",
                table: "generations");
        }
    }
}
