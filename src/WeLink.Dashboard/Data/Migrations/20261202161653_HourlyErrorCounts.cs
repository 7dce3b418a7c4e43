using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class HourlyErrorCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HourlyErrorCounts",
                columns: table => new
                {
                    Hour = table.Column<long>(type: "INTEGER", nullable: false),
                    ErrorCode = table.Column<string>(type: "TEXT", nullable: false),
                    AccountKey = table.Column<string>(type: "TEXT", nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HourlyErrorCounts", x => new { x.Hour, x.ErrorCode, x.AccountKey });
                });

            // The error counts of the hours already counted, summed over their event types.
            migrationBuilder.Sql(
                "INSERT INTO HourlyErrorCounts (Hour, ErrorCode, AccountKey, Count) " +
                "SELECT Hour, ErrorCode, AccountKey, SUM(Count) FROM HourlyEventCounts WHERE ErrorCode <> '' " +
                "GROUP BY Hour, ErrorCode, AccountKey HAVING SUM(Count) > 0");

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
