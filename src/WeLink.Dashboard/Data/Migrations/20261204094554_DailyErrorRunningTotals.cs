using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class DailyErrorRunningTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DailyErrorCounts_AccountKey_ErrorCode_Day_Count",
                table: "DailyErrorCounts");

            migrationBuilder.AddColumn<long>(
                name: "RunningCount",
                table: "DailyErrorCounts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "AccountErrorCodes",
                columns: table => new
                {
                    AccountKey = table.Column<string>(type: "TEXT", nullable: false),
                    ErrorCode = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccountErrorCodes", x => new { x.AccountKey, x.ErrorCode });
                });

            // The running totals of the days already counted, each pair's days in order, and the pairs themselves.
            migrationBuilder.Sql(
                """
                UPDATE DailyErrorCounts SET RunningCount = r.Running
                FROM (SELECT rowid AS Row, SUM(Count) OVER (PARTITION BY AccountKey, ErrorCode ORDER BY Day) AS Running FROM DailyErrorCounts) AS r
                WHERE DailyErrorCounts.rowid = r.Row
                """);
            migrationBuilder.Sql("INSERT INTO AccountErrorCodes (AccountKey, ErrorCode) SELECT DISTINCT AccountKey, ErrorCode FROM DailyErrorCounts");

            migrationBuilder.CreateIndex(
                name: "IX_DailyErrorCounts_AccountKey_ErrorCode_Day_Count_RunningCount",
                table: "DailyErrorCounts",
                columns: new[] { "AccountKey", "ErrorCode", "Day", "Count", "RunningCount" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccountErrorCodes");

            migrationBuilder.DropIndex(
                name: "IX_DailyErrorCounts_AccountKey_ErrorCode_Day_Count_RunningCount",
                table: "DailyErrorCounts");

            migrationBuilder.DropColumn(
                name: "RunningCount",
                table: "DailyErrorCounts");

            migrationBuilder.CreateIndex(
                name: "IX_DailyErrorCounts_AccountKey_ErrorCode_Day_Count",
                table: "DailyErrorCounts",
                columns: new[] { "AccountKey", "ErrorCode", "Day", "Count" });
        }
    }
}
