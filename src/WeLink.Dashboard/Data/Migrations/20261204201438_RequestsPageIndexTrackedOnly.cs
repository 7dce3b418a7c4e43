using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class RequestsPageIndexTrackedOnly : Migration
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
