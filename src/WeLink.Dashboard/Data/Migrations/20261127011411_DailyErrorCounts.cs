using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class DailyErrorCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DailyErrorCounts",
                columns: table => new
                {
                    Day = table.Column<long>(type: "INTEGER", nullable: false),
                    ErrorCode = table.Column<string>(type: "TEXT", nullable: false),
                    AccountKey = table.Column<string>(type: "TEXT", nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyErrorCounts", x => new { x.Day, x.ErrorCode, x.AccountKey });
                });

            migrationBuilder.Sql(
                """
                INSERT INTO DailyErrorCounts (Day, ErrorCode, AccountKey, Count)
                SELECT Day, ErrorCode, AccountKey, SUM(Count) FROM DailyEventCounts WHERE ErrorCode <> ''
                GROUP BY Day, ErrorCode, AccountKey;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DailyErrorCounts");
        }
    }
}
