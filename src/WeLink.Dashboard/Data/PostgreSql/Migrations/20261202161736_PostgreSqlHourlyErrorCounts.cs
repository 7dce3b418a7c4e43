using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class PostgreSqlHourlyErrorCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HourlyErrorCounts",
                columns: table => new
                {
                    Hour = table.Column<long>(type: "bigint", nullable: false),
                    ErrorCode = table.Column<string>(type: "text", nullable: false),
                    AccountKey = table.Column<string>(type: "text", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HourlyErrorCounts", x => new { x.Hour, x.ErrorCode, x.AccountKey });
                });

            // As SQLite's HourlyErrorCounts migration: the hourly error counts start from the hourly counters.
            migrationBuilder.Sql(
                """INSERT INTO "HourlyErrorCounts" ("Hour", "ErrorCode", "AccountKey", "Count") """ +
                """SELECT "Hour", "ErrorCode", "AccountKey", SUM("Count") FROM "HourlyEventCounts" WHERE "ErrorCode" <> '' """ +
                """GROUP BY "Hour", "ErrorCode", "AccountKey" HAVING SUM("Count") > 0""");

            migrationBuilder.CreateIndex(
                name: "IX_DailyErrorCounts_AccountKey_ErrorCode_Day_Count",
                table: "DailyErrorCounts",
                columns: new[] { "AccountKey", "ErrorCode", "Day", "Count" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HourlyErrorCounts");

            migrationBuilder.DropIndex(
                name: "IX_DailyErrorCounts_AccountKey_ErrorCode_Day_Count",
                table: "DailyErrorCounts");
        }
    }
}
