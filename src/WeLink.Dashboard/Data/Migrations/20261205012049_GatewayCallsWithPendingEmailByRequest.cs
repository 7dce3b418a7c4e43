using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.Migrations
{
    /// <summary>
    /// The gateway calls whose e-mail still stands in for an account, indexed by request id: an operator's PIN
    /// for a request with no account is checked against them without scanning the log of every call.
    /// </summary>
    public partial class GatewayCallsWithPendingEmailByRequest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_GatewayCalls_RequestId",
                table: "GatewayCalls",
                column: "RequestId",
                filter: "\"PendingEmail\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_GatewayCalls_RequestId",
                table: "GatewayCalls");
        }
    }
}
