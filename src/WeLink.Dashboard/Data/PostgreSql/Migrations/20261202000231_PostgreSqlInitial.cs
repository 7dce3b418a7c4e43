using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace WeLink.Dashboard.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class PostgreSqlInitial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:CollationDefinition:case_insensitive", "und-u-ks-level2,und-u-ks-level2,icu,False")
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateTable(
                name: "Accounts",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    Email = table.Column<string>(type: "text", nullable: true),
                    ProfileId = table.Column<string>(type: "text", nullable: true),
                    DisplayName = table.Column<string>(type: "text", nullable: true),
                    LoginState = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    StateErrorCode = table.Column<string>(type: "text", nullable: true),
                    StateChangedAt = table.Column<long>(type: "bigint", nullable: true),
                    LoginRequestStartedAt = table.Column<long>(type: "bigint", nullable: false),
                    LoginUpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    RateLimitedSince = table.Column<long>(type: "bigint", nullable: true),
                    RateLimitedAt = table.Column<long>(type: "bigint", nullable: true),
                    RestrictedSince = table.Column<long>(type: "bigint", nullable: true),
                    ProxyTroubleSince = table.Column<long>(type: "bigint", nullable: true),
                    LastActionAt = table.Column<long>(type: "bigint", nullable: true),
                    SessionCheckedAt = table.Column<long>(type: "bigint", nullable: true),
                    PendingPinRequestId = table.Column<string>(type: "text", nullable: true),
                    PinExpiresAt = table.Column<long>(type: "bigint", nullable: true),
                    LastEventAt = table.Column<long>(type: "bigint", nullable: true),
                    LastEventId = table.Column<long>(type: "bigint", nullable: true),
                    LastEventType = table.Column<string>(type: "text", nullable: true),
                    LastErrorCode = table.Column<string>(type: "text", nullable: true),
                    EventCount = table.Column<long>(type: "bigint", nullable: false),
                    KnownToWeLink = table.Column<bool>(type: "boolean", nullable: false),
                    SyncedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Accounts", x => x.AccountId);
                });

            migrationBuilder.CreateTable(
                name: "AccountStateChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ErrorCode = table.Column<string>(type: "text", nullable: true),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    EventId = table.Column<long>(type: "bigint", nullable: true),
                    Source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccountStateChanges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AlertDeliveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MessageId = table.Column<long>(type: "bigint", nullable: false),
                    Channel = table.Column<string>(type: "text", nullable: false),
                    AccountKey = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "bigint", nullable: false),
                    LastAttemptAt = table.Column<long>(type: "bigint", nullable: true),
                    LastStatusCode = table.Column<int>(type: "integer", nullable: true),
                    LastError = table.Column<string>(type: "text", nullable: true),
                    DeliveredAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertDeliveries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AlertMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AlertId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Rule = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: true),
                    Subject = table.Column<string>(type: "text", nullable: true),
                    Count = table.Column<long>(type: "bigint", nullable: true),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Channel = table.Column<string>(type: "text", nullable: true),
                    DispatchedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertMessages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AlertRejectionCounts",
                columns: table => new
                {
                    Minute = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertRejectionCounts", x => x.Minute);
                });

            migrationBuilder.CreateTable(
                name: "Alerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Rule = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: true),
                    Subject = table.Column<string>(type: "text", nullable: true),
                    OpenedAt = table.Column<long>(type: "bigint", nullable: false),
                    LastRaisedAt = table.Column<long>(type: "bigint", nullable: false),
                    RemindedAt = table.Column<long>(type: "bigint", nullable: true),
                    ResolvedAt = table.Column<long>(type: "bigint", nullable: true),
                    Count = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Alerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DailyErrorCounts",
                columns: table => new
                {
                    Day = table.Column<long>(type: "bigint", nullable: false),
                    ErrorCode = table.Column<string>(type: "text", nullable: false),
                    AccountKey = table.Column<string>(type: "text", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyErrorCounts", x => new { x.Day, x.ErrorCode, x.AccountKey });
                });

            migrationBuilder.CreateTable(
                name: "DailyEventCounts",
                columns: table => new
                {
                    Day = table.Column<long>(type: "bigint", nullable: false),
                    AccountKey = table.Column<string>(type: "text", nullable: false),
                    EventType = table.Column<string>(type: "text", nullable: false),
                    ErrorCode = table.Column<string>(type: "text", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyEventCounts", x => new { x.Day, x.AccountKey, x.EventType, x.ErrorCode });
                });

            migrationBuilder.CreateTable(
                name: "Events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ReceivedAt = table.Column<long>(type: "bigint", nullable: false),
                    LastDeliveredAt = table.Column<long>(type: "bigint", nullable: false),
                    DeliveryCount = table.Column<int>(type: "integer", nullable: false),
                    BodySha256 = table.Column<byte[]>(type: "bytea", nullable: false),
                    EventType = table.Column<string>(type: "text", nullable: false),
                    TypeSource = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: true),
                    AccountSource = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "text", nullable: true),
                    RequestId = table.Column<string>(type: "text", nullable: true),
                    ErrorCode = table.Column<string>(type: "text", nullable: true),
                    Message = table.Column<string>(type: "text", nullable: true),
                    Signature = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RawBody = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "GatewayCalls",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Caller = table.Column<string>(type: "text", nullable: false),
                    Action = table.Column<string>(type: "text", nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: true),
                    PendingEmail = table.Column<string>(type: "text", nullable: true),
                    RequestId = table.Column<string>(type: "text", nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: true),
                    LatencyMs = table.Column<long>(type: "bigint", nullable: true),
                    Budget = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GatewayCalls", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "HourlyEventCounts",
                columns: table => new
                {
                    Hour = table.Column<long>(type: "bigint", nullable: false),
                    AccountKey = table.Column<string>(type: "text", nullable: false),
                    EventType = table.Column<string>(type: "text", nullable: false),
                    ErrorCode = table.Column<string>(type: "text", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HourlyEventCounts", x => new { x.Hour, x.AccountKey, x.EventType, x.ErrorCode });
                });

            migrationBuilder.CreateTable(
                name: "Operators",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "case_insensitive"),
                    PasswordHash = table.Column<string>(type: "text", nullable: false),
                    Role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Disabled = table.Column<bool>(type: "boolean", nullable: false),
                    SecurityStamp = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    LastSignInAt = table.Column<long>(type: "bigint", nullable: true),
                    FailedSignIns = table.Column<int>(type: "integer", nullable: false),
                    LockedUntil = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Operators", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PinRequests",
                columns: table => new
                {
                    RequestId = table.Column<string>(type: "text", nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: true),
                    EventId = table.Column<long>(type: "bigint", nullable: false),
                    RequestedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SubmittedAt = table.Column<long>(type: "bigint", nullable: true),
                    SubmittedBy = table.Column<string>(type: "text", nullable: true),
                    ResolvedAt = table.Column<long>(type: "bigint", nullable: true),
                    OutcomeErrorCode = table.Column<string>(type: "text", nullable: true),
                    Message = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PinRequests", x => x.RequestId);
                });

            migrationBuilder.CreateTable(
                name: "PinSubmissions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RequestId = table.Column<string>(type: "text", nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    SubmittedBy = table.Column<string>(type: "text", nullable: false),
                    SubmittedAt = table.Column<long>(type: "bigint", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Detail = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PinSubmissions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RejectedDeliveryCounts",
                columns: table => new
                {
                    Hour = table.Column<long>(type: "bigint", nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RejectedDeliveryCounts", x => new { x.Hour, x.Reason });
                });

            migrationBuilder.CreateTable(
                name: "Requests",
                columns: table => new
                {
                    RequestId = table.Column<string>(type: "text", nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: true),
                    Action = table.Column<string>(type: "text", nullable: true),
                    Source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Caller = table.Column<string>(type: "text", nullable: true),
                    RequestedAt = table.Column<long>(type: "bigint", nullable: true),
                    StateSince = table.Column<long>(type: "bigint", nullable: true),
                    OutcomeEventId = table.Column<long>(type: "bigint", nullable: true),
                    NextPollAt = table.Column<long>(type: "bigint", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Requests", x => x.RequestId);
                });

            migrationBuilder.CreateTable(
                name: "SignIns",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    OperatorId = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignIns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SignIns_Operators_OperatorId",
                        column: x => x.OperatorId,
                        principalTable: "Operators",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Email",
                table: "Accounts",
                column: "Email");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_ProfileId",
                table: "Accounts",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_AccountStateChanges_AccountId_Id",
                table: "AccountStateChanges",
                columns: new[] { "AccountId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AccountStateChanges_At",
                table: "AccountStateChanges",
                column: "At");

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

            migrationBuilder.CreateIndex(
                name: "IX_DailyEventCounts_AccountKey_Day",
                table: "DailyEventCounts",
                columns: new[] { "AccountKey", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_Events_AccountId_EventType_Id",
                table: "Events",
                columns: new[] { "AccountId", "EventType", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Events_AccountId_Id",
                table: "Events",
                columns: new[] { "AccountId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Events_BodySha256",
                table: "Events",
                column: "BodySha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Events_ErrorCode_Id",
                table: "Events",
                columns: new[] { "ErrorCode", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Events_EventType_Id",
                table: "Events",
                columns: new[] { "EventType", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Events_ReceivedAt",
                table: "Events",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Events_RequestId",
                table: "Events",
                column: "RequestId");

            migrationBuilder.CreateIndex(
                name: "IX_GatewayCalls_AccountId_At",
                table: "GatewayCalls",
                columns: new[] { "AccountId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_GatewayCalls_At",
                table: "GatewayCalls",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_GatewayCalls_PendingEmail",
                table: "GatewayCalls",
                column: "PendingEmail");

            migrationBuilder.CreateIndex(
                name: "IX_HourlyEventCounts_AccountKey_Hour",
                table: "HourlyEventCounts",
                columns: new[] { "AccountKey", "Hour" });

            migrationBuilder.CreateIndex(
                name: "IX_Operators_UserName",
                table: "Operators",
                column: "UserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PinRequests_AccountId",
                table: "PinRequests",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_PinRequests_Status_RequestedAt",
                table: "PinRequests",
                columns: new[] { "Status", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PinSubmissions_AccountId_SubmittedAt",
                table: "PinSubmissions",
                columns: new[] { "AccountId", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PinSubmissions_RequestId",
                table: "PinSubmissions",
                column: "RequestId");

            migrationBuilder.CreateIndex(
                name: "IX_Requests_CreatedAt",
                table: "Requests",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Requests_RequestedAt_RequestId",
                table: "Requests",
                columns: new[] { "RequestedAt", "RequestId" });

            migrationBuilder.CreateIndex(
                name: "IX_Requests_State_NextPollAt",
                table: "Requests",
                columns: new[] { "State", "NextPollAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SignIns_OperatorId",
                table: "SignIns",
                column: "OperatorId");

            // Free-text search over payloads (SQLite's FTS5 trigram table): EF has no model for an
            // expression index, so it is written out here. encode(.., 'escape') is the body as text
            // whatever its bytes (convert_from is not immutable and refuses invalid UTF-8), lowered
            // for case-insensitive matching; the search's LIKE '%...%' uses this expression.
            migrationBuilder.Sql(
                $"""CREATE INDEX "{PostgreSqlDashboardDbContext.PayloadTrigramIndex}" ON "Events" USING gin (lower(encode("RawBody", 'escape')) gin_trgm_ops);""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""DROP INDEX IF EXISTS "{PostgreSqlDashboardDbContext.PayloadTrigramIndex}";""");

            migrationBuilder.DropTable(
                name: "Accounts");

            migrationBuilder.DropTable(
                name: "AccountStateChanges");

            migrationBuilder.DropTable(
                name: "AlertDeliveries");

            migrationBuilder.DropTable(
                name: "AlertMessages");

            migrationBuilder.DropTable(
                name: "AlertRejectionCounts");

            migrationBuilder.DropTable(
                name: "Alerts");

            migrationBuilder.DropTable(
                name: "DailyErrorCounts");

            migrationBuilder.DropTable(
                name: "DailyEventCounts");

            migrationBuilder.DropTable(
                name: "Events");

            migrationBuilder.DropTable(
                name: "GatewayCalls");

            migrationBuilder.DropTable(
                name: "HourlyEventCounts");

            migrationBuilder.DropTable(
                name: "PinRequests");

            migrationBuilder.DropTable(
                name: "PinSubmissions");

            migrationBuilder.DropTable(
                name: "RejectedDeliveryCounts");

            migrationBuilder.DropTable(
                name: "Requests");

            migrationBuilder.DropTable(
                name: "SignIns");

            migrationBuilder.DropTable(
                name: "Operators");
        }
    }
}
