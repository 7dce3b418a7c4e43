using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.PostgreSql.Migrations
{
    /// <summary>
    /// The daily counts keyed by day, then type, as on SQLite (where the key is the table's only b-tree). PostgreSQL
    /// keeps the covering index the connection outcomes are read from.
    /// </summary>
    public partial class PostgreSqlDailyEventCountsKeyByDayAndType : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_DailyEventCounts",
                table: "DailyEventCounts");

            migrationBuilder.AddPrimaryKey(
                name: "PK_DailyEventCounts",
                table: "DailyEventCounts",
                columns: new[] { "Day", "EventType", "AccountKey", "ErrorCode" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_DailyEventCounts",
                table: "DailyEventCounts");

            migrationBuilder.AddPrimaryKey(
                name: "PK_DailyEventCounts",
                table: "DailyEventCounts",
                columns: new[] { "Day", "AccountKey", "EventType", "ErrorCode" });
        }
    }
}
