using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Binko.Data.Migrations
{
    /// <inheritdoc />
    public partial class GenerationTraceContext : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "trace_parent",
                table: "generations",
                type: "character varying(55)",
                maxLength: 55,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "trace_state",
                table: "generations",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "trace_parent",
                table: "generations");

            migrationBuilder.DropColumn(
                name: "trace_state",
                table: "generations");
        }
    }
}
