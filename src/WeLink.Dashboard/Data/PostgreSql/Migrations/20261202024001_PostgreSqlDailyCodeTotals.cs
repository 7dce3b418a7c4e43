using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class PostgreSqlDailyCodeTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DailyCodeTotals",
                columns: table => new
                {
                    Day = table.Column<long>(type: "bigint", nullable: false),
                    ErrorCode = table.Column<string>(type: "text", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyCodeTotals", x => new { x.Day, x.ErrorCode });
                });

            // As SQLite's DailyCodeTotals migration: the per-code totals start from the per-account error counts.
            migrationBuilder.Sql(
                """INSERT INTO "DailyCodeTotals" ("Day", "ErrorCode", "Count") """ +
                """SELECT "Day", "ErrorCode", SUM("Count") FROM "DailyErrorCounts" GROUP BY "Day", "ErrorCode" HAVING SUM("Count") > 0""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DailyCodeTotals");
        }
    }
}
