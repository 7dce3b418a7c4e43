using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class RequestTracking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "Requests",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Caller",
                table: "Requests",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "NextPollAt",
                table: "Requests",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "OutcomeEventId",
                table: "Requests",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RequestedAt",
                table: "Requests",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "State",
                table: "Requests",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StateSince",
                table: "Requests",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Requests_RequestedAt_RequestId",
                table: "Requests",
                columns: new[] { "RequestedAt", "RequestId" });

            migrationBuilder.CreateIndex(
                name: "IX_Requests_State_NextPollAt",
                table: "Requests",
                columns: new[] { "State", "NextPollAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Requests_RequestedAt_RequestId",
                table: "Requests");

            migrationBuilder.DropIndex(
                name: "IX_Requests_State_NextPollAt",
                table: "Requests");

            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "Requests");

            migrationBuilder.DropColumn(
                name: "Caller",
                table: "Requests");

            migrationBuilder.DropColumn(
                name: "NextPollAt",
                table: "Requests");

            migrationBuilder.DropColumn(
                name: "OutcomeEventId",
                table: "Requests");

            migrationBuilder.DropColumn(
                name: "RequestedAt",
                table: "Requests");

            migrationBuilder.DropColumn(
                name: "State",
                table: "Requests");

            migrationBuilder.DropColumn(
                name: "StateSince",
                table: "Requests");
        }
    }
}
