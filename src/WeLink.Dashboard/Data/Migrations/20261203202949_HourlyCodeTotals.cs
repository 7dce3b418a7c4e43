using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class HourlyCodeTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HourlyCodeTotals",
                columns: table => new
                {
                    Hour = table.Column<long>(type: "INTEGER", nullable: false),
                    ErrorCode = table.Column<string>(type: "TEXT", nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HourlyCodeTotals", x => new { x.Hour, x.ErrorCode });
                });

            // The per-code totals of the hours already counted, summed over their accounts.
            migrationBuilder.Sql(
                "INSERT INTO HourlyCodeTotals (Hour, ErrorCode, Count) " +
                "SELECT Hour, ErrorCode, SUM(Count) FROM HourlyErrorCounts GROUP BY Hour, ErrorCode HAVING SUM(Count) > 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HourlyCodeTotals");
        }
    }
}
