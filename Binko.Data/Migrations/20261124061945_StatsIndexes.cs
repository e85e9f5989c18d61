using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Binko.Data.Migrations
{
    /// <inheritdoc />
    public partial class StatsIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_feedback_user_id_generated_idea_id",
                table: "feedback");

            migrationBuilder.CreateIndex(
                name: "ix_generated_ideas_generation_id_stats",
                table: "generated_ideas",
                column: "generation_id")
                .Annotation("Npgsql:IndexInclude", new[] { "id", "category", "difficulty", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_feedback_user_id_generated_idea_id",
                table: "feedback",
                columns: new[] { "user_id", "generated_idea_id" },
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "approved", "score" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_generated_ideas_generation_id_stats",
                table: "generated_ideas");

            migrationBuilder.DropIndex(
                name: "ix_feedback_user_id_generated_idea_id",
                table: "feedback");

            migrationBuilder.CreateIndex(
                name: "ix_feedback_user_id_generated_idea_id",
                table: "feedback",
                columns: new[] { "user_id", "generated_idea_id" },
                unique: true);
        }
    }
}
