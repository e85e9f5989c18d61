using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Binko.Data.Migrations
{
    /// <inheritdoc />
    public partial class AbuseLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "subject_id",
                table: "quota_usage",
                type: "character varying(210)",
                maxLength: 210,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200);

            migrationBuilder.AddColumn<string>(
                name: "plan",
                table: "generations",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_generations_owner_in_flight",
                table: "generations",
                column: "owner_id",
                filter: "status IN ('queued', 'running')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_generations_owner_in_flight",
                table: "generations");

            migrationBuilder.DropColumn(
                name: "plan",
                table: "generations");

            migrationBuilder.AlterColumn<string>(
                name: "subject_id",
                table: "quota_usage",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(210)",
                oldMaxLength: 210);
        }
    }
}
