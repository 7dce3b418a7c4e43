using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class DailyCodeTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DailyCodeTotals",
                columns: table => new
                {
                    Day = table.Column<long>(type: "INTEGER", nullable: false),
                    ErrorCode = table.Column<string>(type: "TEXT", nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyCodeTotals", x => new { x.Day, x.ErrorCode });
                });

            // The per-code totals of the days already counted, summed over their accounts.
            migrationBuilder.Sql(
                "INSERT INTO DailyCodeTotals (Day, ErrorCode, Count) " +
                "SELECT Day, ErrorCode, SUM(Count) FROM DailyErrorCounts GROUP BY Day, ErrorCode HAVING SUM(Count) > 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DailyCodeTotals");
        }
    }
}
