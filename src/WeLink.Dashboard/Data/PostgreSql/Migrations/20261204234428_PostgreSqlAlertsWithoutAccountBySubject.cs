using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.PostgreSql.Migrations
{
    /// <summary>
    /// Alerts with no account, indexed by rule, subject and last raise (PostgreSQL): a PIN request with no known account finds
    /// its open alert by request id, and a cooldown the subject's last alert, without walking every alert of the rule that
    /// has no account.
    /// </summary>
    public partial class PostgreSqlAlertsWithoutAccountBySubject : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Alerts_Rule_Subject_LastRaisedAt",
                table: "Alerts",
                columns: new[] { "Rule", "Subject", "LastRaisedAt" },
                filter: "\"AccountId\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Alerts_Rule_Subject_LastRaisedAt",
                table: "Alerts");
        }
    }
}
