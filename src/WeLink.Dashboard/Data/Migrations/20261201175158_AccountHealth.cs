using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class AccountHealth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "AccountStateChanges",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastActionAt",
                table: "Accounts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LoginRequestStartedAt",
                table: "Accounts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "LoginUpdatedAt",
                table: "Accounts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "ProxyTroubleSince",
                table: "Accounts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RateLimitedSince",
                table: "Accounts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RestrictedSince",
                table: "Accounts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SessionCheckedAt",
                table: "Accounts",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Source",
                table: "AccountStateChanges");

            migrationBuilder.DropColumn(
                name: "LastActionAt",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "LoginRequestStartedAt",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "LoginUpdatedAt",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "ProxyTroubleSince",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "RateLimitedSince",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "RestrictedSince",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "SessionCheckedAt",
                table: "Accounts");
        }
    }
}
