using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class PostgreSqlRequestsPageIndexTrackedOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Requests_RequestedAt_RequestId",
                table: "Requests");

            migrationBuilder.CreateIndex(
                name: "IX_Requests_RequestedAt_RequestId",
                table: "Requests",
                columns: new[] { "RequestedAt", "RequestId" },
                filter: "\"State\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Requests_RequestedAt_RequestId",
                table: "Requests");

            migrationBuilder.CreateIndex(
                name: "IX_Requests_RequestedAt_RequestId",
                table: "Requests",
                columns: new[] { "RequestedAt", "RequestId" });
        }
    }
}
