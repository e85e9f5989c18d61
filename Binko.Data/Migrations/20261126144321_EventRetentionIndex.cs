using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Binko.Data.Migrations
{
    /// <inheritdoc />
    public partial class EventRetentionIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_events_received_at",
                table: "events",
                column: "received_at")
                .Annotation("Npgsql:CreatedConcurrently", true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_events_received_at",
                table: "events");
        }
    }
}
