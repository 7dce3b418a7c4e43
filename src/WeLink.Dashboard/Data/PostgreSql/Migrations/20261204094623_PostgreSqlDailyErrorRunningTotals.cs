using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class PostgreSqlDailyErrorRunningTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DailyErrorCounts_AccountKey_ErrorCode_Day_Count",
                table: "DailyErrorCounts");

            // SQLite's running totals and their pairs: on PostgreSQL the breakdown sums the range's day rows, so the
            // column stays 0 and the table empty (the model is shared).
            migrationBuilder.AddColumn<long>(
                name: "RunningCount",
                table: "DailyErrorCounts",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "AccountErrorCodes",
                columns: table => new
                {
                    AccountKey = table.Column<string>(type: "text", nullable: false),
                    ErrorCode = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccountErrorCodes", x => new { x.AccountKey, x.ErrorCode });
                });

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
