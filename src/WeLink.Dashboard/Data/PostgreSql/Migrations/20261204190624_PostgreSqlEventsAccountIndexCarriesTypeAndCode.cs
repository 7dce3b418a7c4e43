using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class PostgreSqlEventsAccountIndexCarriesTypeAndCode : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Events_AccountId_EventType_Id",
                table: "Events");

            migrationBuilder.DropIndex(
                name: "IX_Events_AccountId_Id",
                table: "Events");

            migrationBuilder.DropIndex(
                name: "IX_Events_ErrorCode_Id",
                table: "Events");

            migrationBuilder.CreateIndex(
                name: "IX_Events_AccountId_Id_EventType_ErrorCode",
                table: "Events",
                columns: new[] { "AccountId", "Id", "EventType", "ErrorCode" });

            migrationBuilder.CreateIndex(
                name: "IX_Events_ErrorCode_Id",
                table: "Events",
                columns: new[] { "ErrorCode", "Id" },
                filter: "\"ErrorCode\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Events_AccountId_Id_EventType_ErrorCode",
                table: "Events");

            migrationBuilder.DropIndex(
                name: "IX_Events_ErrorCode_Id",
                table: "Events");

            migrationBuilder.CreateIndex(
                name: "IX_Events_AccountId_EventType_Id",
                table: "Events",
                columns: new[] { "AccountId", "EventType", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Events_AccountId_Id",
                table: "Events",
                columns: new[] { "AccountId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Events_ErrorCode_Id",
                table: "Events",
                columns: new[] { "ErrorCode", "Id" });
        }
    }
}
