using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class PinRequestsByAccountAndStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PinRequests_AccountId",
                table: "PinRequests");

            migrationBuilder.CreateIndex(
                name: "IX_PinRequests_AccountId_Status_ExpiresAt",
                table: "PinRequests",
                columns: new[] { "AccountId", "Status", "ExpiresAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PinRequests_AccountId_Status_ExpiresAt",
                table: "PinRequests");

            migrationBuilder.CreateIndex(
                name: "IX_PinRequests_AccountId",
                table: "PinRequests",
                column: "AccountId");
        }
    }
}
