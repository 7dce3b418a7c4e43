using Microsoft.EntityFrameworkCore;

namespace WeLink.Dashboard.Data;

/// <summary>
/// The model, as SQLite stores it (its migrations are in Data/Migrations). Not sealed: PostgreSQL uses a
/// derived context with its own model adjustments and migration set (Data/PostgreSql).
/// </summary>
public class DashboardDbContext(DbContextOptions<DashboardDbContext> options) : DbContext(options)
{
    public DbSet<StoredEvent> Events => Set<StoredEvent>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<AccountStateChange> AccountStateChanges => Set<AccountStateChange>();
    public DbSet<TrackedRequest> Requests => Set<TrackedRequest>();
    public DbSet<PinRequest> PinRequests => Set<PinRequest>();
    public DbSet<PinSubmission> PinSubmissions => Set<PinSubmission>();
    public DbSet<HourlyEventCount> HourlyEventCounts => Set<HourlyEventCount>();
    public DbSet<DailyEventCount> DailyEventCounts => Set<DailyEventCount>();
    public DbSet<DailyErrorCount> DailyErrorCounts => Set<DailyErrorCount>();
    public DbSet<AccountErrorCode> AccountErrorCodes => Set<AccountErrorCode>();
    public DbSet<HourlyErrorCount> HourlyErrorCounts => Set<HourlyErrorCount>();
    public DbSet<DailyCodeTotal> DailyCodeTotals => Set<DailyCodeTotal>();
    public DbSet<HourlyCodeTotal> HourlyCodeTotals => Set<HourlyCodeTotal>();
    public DbSet<RejectedDeliveryCount> RejectedDeliveryCounts => Set<RejectedDeliveryCount>();
    public DbSet<Operator> Operators => Set<Operator>();
    public DbSet<SignInRecord> SignIns => Set<SignInRecord>();
    public DbSet<GatewayCall> GatewayCalls => Set<GatewayCall>();
    public DbSet<AlertRecord> Alerts => Set<AlertRecord>();
    public DbSet<AlertMessage> AlertMessages => Set<AlertMessage>();
    public DbSet<AlertDelivery> AlertDeliveries => Set<AlertDelivery>();
    public DbSet<AlertRejectionCount> AlertRejectionCounts => Set<AlertRejectionCount>();
    public DbSet<JobLease> JobLeases => Set<JobLease>();
    public DbSet<SignInLockoutRecord> SignInLockouts => Set<SignInLockoutRecord>();
    public DbSet<RateLimitWindow> RateLimitWindows => Set<RateLimitWindow>();

    /// <summary>The covering index of <c>DailyErrorCounts</c> in account, code and day order, with the running totals.</summary>
    public const string ErrorsByAccountIndex = "IX_DailyErrorCounts_AccountKey_ErrorCode_Day_Count_RunningCount";

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // Enums as their names: readable in the file and in the writer's SQL.
        builder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<StoredEvent>(e =>
        {
            e.ToTable("Events");
            // Every index costs each stored event a page written at its commit; each one here serves a read that
            // would otherwise scan the log (BENCHMARKS.md, nineteenth look).
            e.HasIndex(x => x.BodySha256).IsUnique(); // a redelivery is told by its body
            e.HasIndex(x => x.ReceivedAt); // time ranges, retention
            // An account's events newest first; its type and error code ride along, so the log filtered by account and
            // type or code is read from this index alone (one account's entries), with no second index per account.
            e.HasIndex(x => new { x.AccountId, x.Id, x.EventType, x.ErrorCode });
            e.HasIndex(x => new { x.EventType, x.Id });
            // Only events with an error: most have none, and those add nothing to it.
            e.HasIndex(x => new { x.ErrorCode, x.Id }).HasFilter("\"ErrorCode\" IS NOT NULL");
            e.HasIndex(x => x.RequestId); // a request's events, reattribution
        });
        model.Entity<Account>(e =>
        {
            e.HasKey(x => x.AccountId);
            e.HasIndex(x => x.Email);
            e.HasIndex(x => x.ProfileId);
        });
        model.Entity<AccountStateChange>(e =>
        {
            e.HasIndex(x => new { x.AccountId, x.Id });
            e.HasIndex(x => x.At); // retention
        });
        model.Entity<TrackedRequest>(e =>
        {
            e.ToTable("Requests");
            e.HasKey(x => x.RequestId);
            e.HasIndex(x => x.CreatedAt); // retention
            e.HasIndex(x => new { x.State, x.NextPollAt }); // the tracker's due requests
            // The Requests page and API, newest first: tracked requests only. A request only seen in a webhook (most
            // of them) has no state and no time requested, and would add a page at a random key to each commit.
            e.HasIndex(x => new { x.RequestedAt, x.RequestId }).HasFilter("\"State\" IS NOT NULL");
        });
        model.Entity<PinRequest>(e =>
        {
            e.HasKey(x => x.RequestId);
            e.HasIndex(x => new { x.Status, x.RequestedAt });
            // An account's PIN requests by status: "does it still wait for a PIN" reads its few waiting ones, not
            // every PIN request it ever had (hundreds per account after a few weeks, on every login change).
            e.HasIndex(x => new { x.AccountId, x.Status, x.ExpiresAt });
        });
        model.Entity<PinSubmission>(e =>
        {
            e.HasIndex(x => x.RequestId);
            e.HasIndex(x => new { x.AccountId, x.SubmittedAt });
        });
        model.Entity<HourlyEventCount>(e =>
        {
            e.HasKey(x => new { x.Hour, x.AccountKey, x.EventType, x.ErrorCode });
            e.HasIndex(x => new { x.AccountKey, x.Hour });
        });
        model.Entity<DailyEventCount>(e =>
        {
            // Day, then type: day ranges of some event types (the connection outcomes over a week) are sought in the
            // key. On SQLite the table is WITHOUT ROWID (see CountersWithoutRowId), so the key's b-tree holds the
            // counts too and is the only one an update rewrites; PostgreSQL keeps a covering index for it.
            e.HasKey(x => new { x.Day, x.EventType, x.AccountKey, x.ErrorCode });
            e.HasIndex(x => new { x.AccountKey, x.Day });
        });
        model.Entity<DailyErrorCount>(e =>
        {
            e.HasKey(x => new { x.Day, x.ErrorCode, x.AccountKey });
            // The fleet-wide breakdown per account and code over days: each pair's first and last row of a range
            // sought here, their counts and running totals with them (see CounterSql.ErrorsByAccountOverDaysAsync);
            // the writer finds a pair's row before a new day here too.
            e.HasIndex(x => new { x.AccountKey, x.ErrorCode, x.Day, x.Count, x.RunningCount }).HasDatabaseName(ErrorsByAccountIndex);
        });
        model.Entity<AccountErrorCode>(e => e.HasKey(x => new { x.AccountKey, x.ErrorCode }));
        model.Entity<HourlyErrorCount>(e => e.HasKey(x => new { x.Hour, x.ErrorCode, x.AccountKey }));
        model.Entity<DailyCodeTotal>(e => e.HasKey(x => new { x.Day, x.ErrorCode }));
        model.Entity<HourlyCodeTotal>(e => e.HasKey(x => new { x.Hour, x.ErrorCode }));
        model.Entity<RejectedDeliveryCount>(e => e.HasKey(x => new { x.Hour, x.Reason }));
        model.Entity<Operator>(e =>
        {
            e.Property(x => x.UserName).HasMaxLength(64).UseCollation("NOCASE");
            e.HasIndex(x => x.UserName).IsUnique();
            e.Property(x => x.Role).HasMaxLength(16);
        });
        model.Entity<GatewayCall>(e =>
        {
            e.HasIndex(x => new { x.AccountId, x.At }); // budgets
            e.HasIndex(x => x.PendingEmail);
            e.HasIndex(x => x.At); // retention
            // The login of a request whose e-mail still stands in for its account, looked up when an operator submits a
            // PIN for a request with no account: only those calls are in it, not the log of every call.
            e.HasIndex(x => x.RequestId).HasFilter("\"PendingEmail\" IS NOT NULL");
        });
        model.Entity<AlertRecord>(e =>
        {
            e.ToTable("Alerts");
            e.Property(x => x.Rule).HasMaxLength(32);
            // Open alerts of a rule and account: what raising and the timers look up.
            e.HasIndex(x => new { x.Rule, x.AccountId, x.ResolvedAt });
            e.HasIndex(x => new { x.ResolvedAt, x.Rule });
            // Alerts with no account, by subject: a PIN request with no known account finds its open alert by its request
            // id, and a cooldown finds the subject's last alert, among these rows only. Without it both walked every alert of
            // the rule with no account, open and closed: a backlog of such PIN requests cost each new one a walk of all.
            e.HasIndex(x => new { x.Rule, x.Subject, x.LastRaisedAt }).HasFilter("\"AccountId\" IS NULL");
        });
        model.Entity<AlertMessage>(e =>
        {
            e.Property(x => x.Rule).HasMaxLength(32);
            e.HasIndex(x => x.DispatchedAt);
            e.HasIndex(x => x.AlertId);
        });
        model.Entity<AlertDelivery>(e =>
        {
            // The sender's queue: pending deliveries of a channel in order.
            e.HasIndex(x => new { x.Status, x.Channel, x.Id });
            e.HasIndex(x => x.MessageId);
        });
        model.Entity<AlertRejectionCount>(e => e.HasKey(x => x.Minute));
        model.Entity<JobLease>(e =>
        {
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.Holder).HasMaxLength(200);
        });
        model.Entity<SignInLockoutRecord>(e =>
        {
            e.ToTable("SignInLockouts");
            e.HasKey(x => new { x.UserName, x.Client });
            e.Property(x => x.UserName).HasMaxLength(64);
            e.Property(x => x.Client).HasMaxLength(64);
            e.HasIndex(x => x.UpdatedAt); // clean-up
        });
        model.Entity<RateLimitWindow>(e =>
        {
            e.HasKey(x => x.Bucket);
            e.Property(x => x.Bucket).HasMaxLength(160);
            e.HasIndex(x => x.WindowStart); // clean-up
        });
        model.Entity<SignInRecord>(e =>
        {
            e.ToTable("SignIns");
            e.Property(x => x.Id).HasMaxLength(32);
            e.HasIndex(x => x.OperatorId);
            e.HasOne<Operator>().WithMany().HasForeignKey(x => x.OperatorId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
