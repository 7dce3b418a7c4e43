using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace WeLink.Dashboard.Data.PostgreSql;

/// <summary>
/// The same model on PostgreSQL. A context type of its own gives PostgreSQL its own migration set
/// (Data/PostgreSql/Migrations) beside SQLite's, whose history stays as it is; the few differences
/// between the stores are applied here, on top of the shared model.
/// It takes the shared context's options so one <see cref="IDbContextFactory{TContext}"/> serves both providers.
/// </summary>
public sealed class PostgreSqlDashboardDbContext(DbContextOptions<DashboardDbContext> options) : DashboardDbContext(options)
{
    /// <summary>
    /// Case-insensitive equality for operator names, as SQLite's NOCASE gives: an ICU collation that is not
    /// deterministic, so the unique index refuses "Admin" beside "admin".
    /// </summary>
    public const string CaseInsensitiveCollation = "case_insensitive";

    /// <summary>The index that replaces SQLite's FTS5 table for the free-text search of payloads.</summary>
    public const string PayloadTrigramIndex = "IX_Events_RawBody_Trigram";

    /// <summary>The covering index of <c>DailyEventCounts</c> in day and event type order.</summary>
    public const string DaysByTypeIndex = "IX_DailyEventCounts_Day_EventType_AccountKey_ErrorCode_Count";

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        model.HasCollation(CaseInsensitiveCollation, locale: "und-u-ks-level2", provider: "icu", deterministic: false);
        model.Entity<Operator>().Property(x => x.UserName).UseCollation(CaseInsensitiveCollation);
        // Free-text search: a trigram GIN index over the payload's text (the migration creates it on
        // lower(encode("RawBody", 'escape')): EF has no model for an expression index). The
        // extension is part of the model so the migration creates it first.
        model.HasPostgresExtension("pg_trgm");
        // Day ranges of some event types read from the index alone: the key's day range would fetch every row
        // from the heap for its count (SQLite's counters are WITHOUT ROWID, their key holds the count).
        model.Entity<DailyEventCount>().HasIndex(x => new { x.Day, x.EventType, x.AccountKey, x.ErrorCode, x.Count }).HasDatabaseName(DaysByTypeIndex);
    }
}

/// <summary>Lets <c>dotnet ef migrations add --context PostgreSqlDashboardDbContext</c> build the model without a server.</summary>
internal sealed class PostgreSqlDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlDashboardDbContext>
{
    public PostgreSqlDashboardDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<DashboardDbContext>().UseNpgsql("Host=localhost;Database=welink_dashboard").Options);
}
