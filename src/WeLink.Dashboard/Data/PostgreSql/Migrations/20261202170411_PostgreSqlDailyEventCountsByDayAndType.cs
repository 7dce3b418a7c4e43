using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class PostgreSqlDailyEventCountsByDayAndType : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_DailyEventCounts_Day_EventType_AccountKey_ErrorCode_Count",
                table: "DailyEventCounts",
                columns: new[] { "Day", "EventType", "AccountKey", "ErrorCode", "Count" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DailyEventCounts_Day_EventType_AccountKey_ErrorCode_Count",
                table: "DailyEventCounts");
        }
    }
}
