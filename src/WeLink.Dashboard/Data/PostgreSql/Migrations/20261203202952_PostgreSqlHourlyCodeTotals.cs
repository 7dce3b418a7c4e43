using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class PostgreSqlHourlyCodeTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HourlyCodeTotals",
                columns: table => new
                {
                    Hour = table.Column<long>(type: "bigint", nullable: false),
                    ErrorCode = table.Column<string>(type: "text", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HourlyCodeTotals", x => new { x.Hour, x.ErrorCode });
                });

            // As SQLite's HourlyCodeTotals migration: the per-code totals start from the per-account hourly error counts.
            migrationBuilder.Sql(
                """INSERT INTO "HourlyCodeTotals" ("Hour", "ErrorCode", "Count") """ +
                """SELECT "Hour", "ErrorCode", SUM("Count") FROM "HourlyErrorCounts" GROUP BY "Hour", "ErrorCode" HAVING SUM("Count") > 0""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HourlyCodeTotals");
        }
    }
}
