using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class Alerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AlertDeliveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MessageId = table.Column<long>(type: "INTEGER", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", nullable: false),
                    AccountKey = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastStatusCode = table.Column<int>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", nullable: true),
                    DeliveredAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertDeliveries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AlertMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AlertId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Rule = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", nullable: true),
                    Subject = table.Column<string>(type: "TEXT", nullable: true),
                    Count = table.Column<long>(type: "INTEGER", nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", nullable: true),
                    DispatchedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertMessages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AlertRejectionCounts",
                columns: table => new
                {
                    Minute = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertRejectionCounts", x => x.Minute);
                });

            migrationBuilder.CreateTable(
                name: "Alerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Rule = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", nullable: true),
                    Subject = table.Column<string>(type: "TEXT", nullable: true),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastRaisedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RemindedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Count = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Alerts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AlertDeliveries_MessageId",
                table: "AlertDeliveries",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_AlertDeliveries_Status_Channel_Id",
                table: "AlertDeliveries",
                columns: new[] { "Status", "Channel", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AlertMessages_AlertId",
                table: "AlertMessages",
                column: "AlertId");

            migrationBuilder.CreateIndex(
                name: "IX_AlertMessages_DispatchedAt",
                table: "AlertMessages",
                column: "DispatchedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_ResolvedAt_Rule",
                table: "Alerts",
                columns: new[] { "ResolvedAt", "Rule" });

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_Rule_AccountId_ResolvedAt",
                table: "Alerts",
                columns: new[] { "Rule", "AccountId", "ResolvedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlertDeliveries");

            migrationBuilder.DropTable(
                name: "AlertMessages");

            migrationBuilder.DropTable(
                name: "AlertRejectionCounts");

            migrationBuilder.DropTable(
                name: "Alerts");
        }
    }
}
