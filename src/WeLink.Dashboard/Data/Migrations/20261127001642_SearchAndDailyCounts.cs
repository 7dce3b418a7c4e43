using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class SearchAndDailyCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DailyEventCounts",
                columns: table => new
                {
                    Day = table.Column<long>(type: "INTEGER", nullable: false),
                    AccountKey = table.Column<string>(type: "TEXT", nullable: false),
                    EventType = table.Column<string>(type: "TEXT", nullable: false),
                    ErrorCode = table.Column<string>(type: "TEXT", nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyEventCounts", x => new { x.Day, x.AccountKey, x.EventType, x.ErrorCode });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Events_AccountId_EventType_Id",
                table: "Events",
                columns: new[] { "AccountId", "EventType", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_DailyEventCounts_AccountKey_Day",
                table: "DailyEventCounts",
                columns: new[] { "AccountKey", "Day" });

            // Daily counters for what is already counted hourly.
            migrationBuilder.Sql(
                """
                INSERT INTO DailyEventCounts (Day, AccountKey, EventType, ErrorCode, Count)
                SELECT Hour - Hour % 86400000, AccountKey, EventType, ErrorCode, SUM(Count)
                FROM HourlyEventCounts GROUP BY Hour - Hour % 86400000, AccountKey, EventType, ErrorCode;
                """);

            // Free text over the raw payloads: a trigram index finds any substring of three or more
            // characters without scanning the log. Contentless (the text is in Events.RawBody), with
            // deletes for retention.
            migrationBuilder.Sql(
                "CREATE VIRTUAL TABLE EventSearch USING fts5(Body, content='', contentless_delete=1, tokenize='trigram');");
            migrationBuilder.Sql("INSERT INTO EventSearch (rowid, Body) SELECT Id, CAST(RawBody AS TEXT) FROM Events;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE EventSearch;");

            migrationBuilder.DropTable(
                name: "DailyEventCounts");

            migrationBuilder.DropIndex(
                name: "IX_Events_AccountId_EventType_Id",
                table: "Events");
        }
    }
}
