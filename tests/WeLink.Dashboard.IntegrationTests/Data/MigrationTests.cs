using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.IntegrationTests.Infrastructure;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Data;

/// <summary>
/// The squashed initial migration and those after it: they match the model, files made by the six the
/// squash replaced keep working, and their accounts' states are recomputed from the stored events.
/// </summary>
// SQLite only: the SQLite migration set, its squash and the upgrades of old files.
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class MigrationTests : IDisposable
{
    /// <summary>Made by the build before the squash (see tests/Fixtures/README.md): six history rows, four events, one pending PIN.</summary>
    private static readonly string OldFile = Path.Combine(AppContext.BaseDirectory, "Fixtures", "databases", "dashboard-2026-12-01.db");

    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DatabasePath => Path.Combine(_dir.Path, "dashboard.db");

    private static readonly string[] AllMigrations = [SquashedMigrations.InitialId, "20261201174640_GatewayCalls", "20261201175158_AccountHealth", "20261201204827_RequestTracking", "20261201220816_Alerts", "20261202000307_DailyCodeTotals", "20261202062639_JobLeases", "20261202132458_PinRequestsByAccountAndStatus",
        "20261202161653_HourlyErrorCounts", "20261202170341_DailyEventCountsByDayAndType", "20261203202949_HourlyCodeTotals", "20261204043000_SearchIndexOwnFile", "20261204094554_DailyErrorRunningTotals",
        "20261204190555_EventsAccountIndexCarriesTypeAndCode", "20261204201438_RequestsPageIndexTrackedOnly", CountersWithoutRowId,
        "20261204234404_AlertsWithoutAccountBySubject", "20261205012049_GatewayCallsWithPendingEmailByRequest"];

    private const string CountersWithoutRowId = "20261204213848_CountersWithoutRowId";

    /// <summary>The schema a file made by the old migrations has once this build has migrated it.</summary>
    private string MigratedOldSchema()
    {
        using var dir = new TestDirectory();
        File.Copy(OldFile, dir.Database);
        using (DashboardApp.Start(dir.Path))
        {
        }
        SqliteConnection.ClearAllPools();
        return string.Join("\n", Schema(dir.Database));
    }

    /// <summary>Each row as its values joined by '|', in the order the statement gives.</summary>
    private static IEnumerable<string> RowsAsText(DashboardApp app, string sql) =>
        app.Rows(sql).Select(row => string.Join('|', row.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));

    private static List<string> History(DashboardApp app)
    {
        using var connection = app.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    }

    private static List<string> Schema(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        // FTS5 shadow tables follow from the virtual table; the lock table is EF's, made while migrating.
        command.CommandText =
            // Tables added by migrations after the squash (GatewayCalls) are not in the old file; the model test covers them.
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'EventSearch_%' AND name <> '__EFMigrationsLock' "
            + "AND tbl_name NOT IN ('GatewayCalls') ORDER BY sql";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>Each row of the file's answer as its values joined by '|', in the order the statement gives.</summary>
    private static List<string> Texts(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    private static void Run(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void Model_AgainstTheMigrations_NoPendingChanges()
    {
        using var db = new DashboardDbContext(new DbContextOptionsBuilder<DashboardDbContext>().UseSqlite($"Data Source={DatabasePath}").Options);
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Equal(AllMigrations, db.Database.GetMigrations());
    }

    [Fact]
    public void WaitingPinOfAnAccount_OnAMigratedFile_ReadsOnlyTheAccountsWaitingRequestsFromTheIndex()
    {
        using (DashboardApp.Start(_dir.Path))
        {
        }
        SqliteConnection.ClearAllPools();
        var plan = StatementPlan(WeLink.Dashboard.Data.Sql.AlertSql.WaitingPinOfAccountSql,
            ("$a", "acc-1"), ("$p", "Pending"), ("$s", "Submitted"), ("$now", 0L));

        // Asked on every login change of an account with an open PIN alert: the account and the two waiting
        // statuses are searched in the index, not every PIN request the account ever had.
        Assert.Contains(plan, step => step.Contains("INDEX IX_PinRequests_AccountId_Status_ExpiresAt (AccountId=? AND Status=?", StringComparison.Ordinal));
    }

    [Fact]
    public void AlertsWithoutAccount_OnAMigratedFile_TheSubjectsOpenAlertAndLastRaiseSoughtBySubject()
    {
        using (DashboardApp.Start(_dir.Path))
        {
        }
        SqliteConnection.ClearAllPools();
        // Alerts of the rule with no account, open and closed, besides the one asked about: the plan must not walk them.
        Run(DatabasePath, """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
            INSERT INTO Alerts (Rule, AccountId, Subject, OpenedAt, LastRaisedAt, ResolvedAt)
            SELECT 'PinWaiting', NULL, 'request-' || i, i, i, CASE WHEN i % 2 = 0 THEN i END FROM n
            """);
        foreach (var sql in new[] { WeLink.Dashboard.Data.Sql.AlertSql.OpenAlertBySubjectSql, WeLink.Dashboard.Data.Sql.AlertSql.LastRaisedAtSql })
        {
            var plan = StatementPlan(sql, ("$rule", "PinWaiting"), ("$s", "request-7"));
            Assert.Contains(plan, step => step.Contains("INDEX IX_Alerts_Rule_Subject_LastRaisedAt (Rule=? AND Subject=?)", StringComparison.Ordinal));
        }
        // Rows with an account are not in it: their subject is looked up through their account's alerts.
        Assert.Equal(["2000"], Texts(DatabasePath, "SELECT COUNT(*) FROM Alerts INDEXED BY IX_Alerts_Rule_Subject_LastRaisedAt WHERE Rule = 'PinWaiting' AND AccountId IS NULL"));
    }

    [Fact]
    public void PendingEmailOfARequest_OnAMigratedFile_SoughtByRequestAmongTheCallsWithAPendingEmail()
    {
        using (DashboardApp.Start(_dir.Path))
        {
        }
        SqliteConnection.ClearAllPools();
        // The gateway's log of calls, most of them for known accounts: the look-up must not walk it.
        Run(DatabasePath, """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
            INSERT INTO GatewayCalls (At, Caller, Action, AccountId, PendingEmail, RequestId, Budget)
            SELECT i, 'tests', 'login', CASE WHEN i % 100 = 0 THEN NULL ELSE 'acc-' || i END, CASE WHEN i % 100 = 0 THEN 'p' || i || '@example.com' END,
                   'request-' || i, 'None' FROM n
            """);
        var plan = StatementPlan(WeLink.Dashboard.Data.Sql.GatewaySql.PendingEmailOfSql, ("$r", "request-700"));

        Assert.Contains(plan, step => step.Contains("INDEX IX_GatewayCalls_RequestId (RequestId=?)", StringComparison.Ordinal));
        Assert.Equal(["20"], Texts(DatabasePath, "SELECT COUNT(*) FROM GatewayCalls INDEXED BY IX_GatewayCalls_RequestId WHERE PendingEmail IS NOT NULL"));
    }

    /// <summary>The steps of SQLite's plan for the query as EF sends it, on the migrated file.</summary>
    private List<string> Plan<T>(Func<DashboardDbContext, IQueryable<T>> query) => SqliteFile.QueryPlan(DatabasePath, query);

    [Fact]
    public void ErrorsByAccountOverDays_FleetWideOnAMigratedFile_TwoSeeksPerPairInTheCoveringIndexNoDayRowScanned()
    {
        using (DashboardApp.Start(_dir.Path))
        {
        }
        SqliteConnection.ClearAllPools();

        // The 30-day breakdown per account and code: for each listed pair, its first row of the range and its last
        // row before the range's end, each sought in the covering index; no day row is scanned and nothing is sorted.
        var plan = SqlPlan(WeLink.Dashboard.Data.Sql.CounterSql.ErrorsByAccountOverDaysSql, 1_796_000_000_000L, 1_798_600_000_000L);
        Assert.Contains(plan, step => step.StartsWith("SCAN p USING COVERING INDEX sqlite_autoindex_AccountErrorCodes_1", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.Contains($"SEARCH d USING COVERING INDEX {DashboardDbContext.ErrorsByAccountIndex} (AccountKey=? AND ErrorCode=? AND Day>? AND Day<?)", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.Contains($"SEARCH d USING COVERING INDEX {DashboardDbContext.ErrorsByAccountIndex} (AccountKey=? AND ErrorCode=? AND Day<?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("SCAN d", StringComparison.Ordinal) || step.Contains("TEMP B-TREE", StringComparison.Ordinal));

        // And it depends on the index: without it the read fails instead of quietly scanning the day rows.
        Run(DatabasePath, $"DROP INDEX {DashboardDbContext.ErrorsByAccountIndex}");
        var missing = Assert.Throws<SqliteException>(() => SqlPlan(WeLink.Dashboard.Data.Sql.CounterSql.ErrorsByAccountOverDaysSql, 0L, 1L));
        Assert.Contains("no such index", missing.Message, StringComparison.Ordinal);
    }

    /// <summary>The steps of SQLite's plan for a statement in EF's raw form ({0}, {1}… for the arguments), on the migrated file.</summary>
    private List<string> SqlPlan(string sql, params object[] arguments)
    {
        var text = sql;
        for (var i = 0; i < arguments.Length; i++) text = text.Replace("{" + i + "}", "$p" + i, StringComparison.Ordinal);
        return StatementPlan(text, arguments.Select((value, i) => ("$p" + i, value)).ToArray());
    }

    /// <summary>
    /// The steps of SQLite's plan for a statement as the writer sends it (its <c>$name</c> parameters bound), on the migrated
    /// file with no statistics: the dashboard never runs ANALYZE.
    /// </summary>
    private List<string> StatementPlan(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) plan.Add(reader.GetString(3));
        return plan;
    }

    [Fact]
    public void ConnectionsOverDays_OnAMigratedFile_EachDaysTwoTypesSoughtInTheKeyCountsWithThem()
    {
        using (DashboardApp.Start(_dir.Path))
        {
        }
        SqliteConnection.ClearAllPools();
        var until = DateTimeOffset.UtcNow;

        // A week of connection outcomes, grouped as the Connections page and /api/stats/connections group them (per day
        // and type, per account, type and code): each day's two types sought in the key (day, then type) of the WITHOUT
        // ROWID table, every count with them, no other b-tree read and no other type's entries.
        List<string> PerDay(DateTimeOffset since) => Plan(db => WeLink.Dashboard.Features.Connections.ConnectionStatsQueries.Connections(db, EventCounters.DayMs, since, until, null)
            .GroupBy(c => new { c.Bucket, c.EventType }).Select(g => new { g.Key.Bucket, g.Key.EventType, Count = g.Sum(c => c.Count) }));
        List<string> PerAccount(DateTimeOffset since) => Plan(db => WeLink.Dashboard.Features.Connections.ConnectionStatsQueries.Connections(db, EventCounters.DayMs, since, until, null)
            .GroupBy(c => new { c.AccountKey, c.EventType, c.ErrorCode }).Select(g => new { g.Key.AccountKey, g.Key.EventType, g.Key.ErrorCode, Count = g.Sum(c => c.Count) }));
        const string sought = "USING PRIMARY KEY (Day=? AND EventType=?)";
        Assert.Contains(PerDay(until.AddDays(-7)), step => step.Contains(sought, StringComparison.Ordinal));
        Assert.Contains(PerAccount(until.AddDays(-7)), step => step.Contains(sought, StringComparison.Ordinal));
        // Beyond the days named one by one, the day range of the same key.
        var longer = until.AddDays(-(EventCounters.NamedDaysUpTo + 1));
        Assert.Contains(PerAccount(longer), step => step.Contains("USING PRIMARY KEY (Day>? AND Day<?)", StringComparison.Ordinal));
        Assert.DoesNotContain(PerAccount(longer), step => step.Contains("INDEX", StringComparison.Ordinal));
    }

    [Fact]
    public void Counters_OnAMigratedFile_WithoutRowIdOneBTreeEachTheDailyCountsKeyedByDayThenType()
    {
        using (DashboardApp.Start(_dir.Path))
        {
        }
        SqliteConnection.ClearAllPools();

        // Each counter is one b-tree holding its counts: adding to a count rewrites a page of it alone. An EF rebuild of
        // one of these tables (it knows nothing of WITHOUT ROWID) would make it a rowid table with a key index again.
        string[] counters = ["HourlyEventCounts", "DailyEventCounts", "HourlyErrorCounts", "DailyErrorCounts", "HourlyCodeTotals", "DailyCodeTotals"];
        foreach (var table in counters)
        {
            var sql = Assert.Single(Texts(DatabasePath, $"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'"));
            Assert.EndsWith(") WITHOUT ROWID", sql.TrimEnd(), StringComparison.Ordinal);
            Assert.Empty(Texts(DatabasePath, $"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}' AND name LIKE 'sqlite_autoindex_%'"));
        }
        Assert.Contains("PRIMARY KEY (\"Day\", \"EventType\", \"AccountKey\", \"ErrorCode\")", Texts(DatabasePath, "SELECT sql FROM sqlite_master WHERE name = 'DailyEventCounts'")[0], StringComparison.Ordinal);
        Assert.Equal(["IX_DailyEventCounts_AccountKey_Day"], Texts(DatabasePath, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'DailyEventCounts'"));
    }

    [Fact]
    public async Task Startup_FileWithRowIdCounters_KeepsEveryCountAndGoesOnCounting()
    {
        // The file as the build before: the migration taken back by EF (its Down), so the counters are rowid tables
        // again, the daily counts keyed by day then account, with their covering index.
        File.Copy(OldFile, DatabasePath);
        using (DashboardApp.Start(_dir.Path))
        {
        }
        SqliteConnection.ClearAllPools();
        using (var db = new DashboardDbContext(new DbContextOptionsBuilder<DashboardDbContext>().UseSqlite($"Data Source={DatabasePath};Pooling=False").Options))
            Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>(db).Migrate(AllMigrations[Array.IndexOf(AllMigrations, CountersWithoutRowId) - 1]);
        Assert.DoesNotContain("WITHOUT ROWID", Texts(DatabasePath, "SELECT sql FROM sqlite_master WHERE name = 'DailyEventCounts'")[0], StringComparison.Ordinal);
        Assert.Single(Texts(DatabasePath, "SELECT name FROM sqlite_master WHERE name = 'IX_DailyEventCounts_Day_EventType_AccountKey_ErrorCode_Count'"));

        var day = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / EventCounters.DayMs * EventCounters.DayMs;
        var hour = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / EventCounters.HourMs * EventCounters.HourMs;
        Run(DatabasePath, $"""
            INSERT INTO DailyEventCounts (Day, AccountKey, EventType, ErrorCode, Count) VALUES ({day}, 'acc-1', 'CONNECTION_SENT', '', 4), ({day}, 'acc-2', 'MESSAGE_FAILED', 'PROXY_ERROR', 2);
            INSERT INTO HourlyEventCounts (Hour, AccountKey, EventType, ErrorCode, Count) VALUES ({hour}, 'acc-1', 'CONNECTION_SENT', '', 4), ({hour}, 'acc-2', 'MESSAGE_FAILED', 'PROXY_ERROR', 2);
            INSERT INTO HourlyErrorCounts (Hour, ErrorCode, AccountKey, Count) VALUES ({hour}, 'PROXY_ERROR', 'acc-2', 2);
            INSERT INTO DailyErrorCounts (Day, ErrorCode, AccountKey, Count, RunningCount) VALUES ({day}, 'PROXY_ERROR', 'acc-2', 2, 2);
            INSERT INTO HourlyCodeTotals (Hour, ErrorCode, Count) VALUES ({hour}, 'PROXY_ERROR', 2);
            INSERT INTO DailyCodeTotals (Day, ErrorCode, Count) VALUES ({day}, 'PROXY_ERROR', 2);
            """);
        var tables = new Dictionary<string, string>
        {
            ["HourlyEventCounts"] = "Hour, AccountKey, EventType, ErrorCode, Count",
            ["DailyEventCounts"] = "Day, AccountKey, EventType, ErrorCode, Count",
            ["HourlyErrorCounts"] = "Hour, ErrorCode, AccountKey, Count",
            ["DailyErrorCounts"] = "Day, ErrorCode, AccountKey, Count, RunningCount",
            ["HourlyCodeTotals"] = "Hour, ErrorCode, Count",
            ["DailyCodeTotals"] = "Day, ErrorCode, Count",
        };
        var before = tables.ToDictionary(t => t.Key, t => Texts(DatabasePath, $"SELECT {t.Value} FROM {t.Key} ORDER BY {t.Value}"));
        Assert.All(before.Values, rows => Assert.NotEmpty(rows));

        using var app = DashboardApp.Start(_dir.Path);
        Assert.Equal(AllMigrations, History(app));
        foreach (var (table, columns) in tables)
            Assert.Equal(before[table], RowsAsText(app, $"SELECT {columns} FROM {table} ORDER BY {columns}"));
        Assert.EndsWith(") WITHOUT ROWID", app.Scalar<string>("SELECT sql FROM sqlite_master WHERE name = 'DailyEventCounts'").TrimEnd(), StringComparison.Ordinal);

        // The same rows go on counting: a failure of acc-2 with the same code adds to its error rows, and to its
        // event rows under the type it is classified as.
        Assert.Equal(HttpStatusCode.OK, (await app.PostSignedWebhookAsync(
            """{"status":"FAILED","request_id":"req-after-rowid","error":"PROXY_ERROR","message":"proxy refused"}""", "/webhooks/welink?account=acc-2")).StatusCode);
        var type = app.Scalar<string>("SELECT EventType FROM Events WHERE RequestId = 'req-after-rowid'");
        // Its buckets (the rows above are in the current hour and day, unless the clock moved on since).
        var at = app.Scalar<long>("SELECT ReceivedAt FROM Events WHERE RequestId = 'req-after-rowid'");
        var (atHour, atDay) = (at - at % EventCounters.HourMs, at - at % EventCounters.DayMs);
        long Before(string table, params string[] key) => before[table].Select(row => row.Split('|'))
            .Where(row => row.Take(key.Length).SequenceEqual(key)).Sum(row => long.Parse(row[key.Length], System.Globalization.CultureInfo.InvariantCulture));
        string H(long bucket) => bucket.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(Before("HourlyEventCounts", H(atHour), "acc-2", type, "PROXY_ERROR") + 1,
            app.Scalar<long>($"SELECT Count FROM HourlyEventCounts WHERE Hour = {atHour} AND AccountKey = 'acc-2' AND EventType = '{type}' AND ErrorCode = 'PROXY_ERROR'"));
        Assert.Equal(Before("DailyEventCounts", H(atDay), "acc-2", type, "PROXY_ERROR") + 1,
            app.Scalar<long>($"SELECT Count FROM DailyEventCounts WHERE Day = {atDay} AND AccountKey = 'acc-2' AND EventType = '{type}' AND ErrorCode = 'PROXY_ERROR'"));
        Assert.Equal(Before("HourlyErrorCounts", H(atHour), "PROXY_ERROR", "acc-2") + 1,
            app.Scalar<long>($"SELECT Count FROM HourlyErrorCounts WHERE Hour = {atHour} AND AccountKey = 'acc-2' AND ErrorCode = 'PROXY_ERROR'"));
        // The pair's running total goes on from the 2 counted before, on the same day or a new one.
        Assert.Equal([$"{Before("DailyErrorCounts", H(atDay), "PROXY_ERROR", "acc-2") + 1}|3"],
            RowsAsText(app, $"SELECT Count, RunningCount FROM DailyErrorCounts WHERE Day = {atDay} AND AccountKey = 'acc-2' AND ErrorCode = 'PROXY_ERROR'"));
        Assert.Equal(Before("HourlyCodeTotals", H(atHour), "PROXY_ERROR") + 1, app.Scalar<long>($"SELECT Count FROM HourlyCodeTotals WHERE Hour = {atHour} AND ErrorCode = 'PROXY_ERROR'"));
        Assert.Equal(Before("DailyCodeTotals", H(atDay), "PROXY_ERROR") + 1, app.Scalar<long>($"SELECT Count FROM DailyCodeTotals WHERE Day = {atDay} AND ErrorCode = 'PROXY_ERROR'"));
    }

    [Fact]
    public void EventLog_FilteredByAccount_OnAMigratedFile_OneIndexOfTheAccountServesTypeAndCodeTooNothingSorted()
    {
        using (DashboardApp.Start(_dir.Path))
        {
        }
        SqliteConnection.ClearAllPools();

        // A page of the log as EventQueries asks for it: the filters, newest first, one more row than the page.
        List<string> Page(WeLink.Dashboard.Features.Events.EventFilter filter) => Plan(db =>
            WeLink.Dashboard.Features.Events.EventQueries.Apply(db.Events, filter).OrderByDescending(e => e.Id).Take(51));
        const string byAccount = "SEARCH e USING INDEX IX_Events_AccountId_Id_EventType_ErrorCode (AccountId=?)";

        // An account alone, with a type, with an error code, and the unattributed events: the account's own entries
        // in id order, the type and code read from the same entries. There is no second index per account to keep.
        foreach (var filter in new WeLink.Dashboard.Features.Events.EventFilter[]
                 {
                     new(Account: "acc-1"), new(Account: "acc-1", Type: "CONNECTION_SENT"), new(Account: "acc-1", ErrorCode: "PROXY_ERROR"),
                     new(Account: WeLink.Dashboard.Features.Events.EventFilter.Unattributed),
                 })
        {
            var plan = Page(filter);
            Assert.Contains(plan, step => step.Contains(byAccount, StringComparison.Ordinal));
            Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
        }

        // An error code fleet-wide: the index of events with an error, which EF's equality with a parameter may use.
        var byCode = Page(new(ErrorCode: "PROXY_ERROR"));
        Assert.Contains(byCode, step => step.Contains("SEARCH e USING INDEX IX_Events_ErrorCode_Id (ErrorCode=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(byCode, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
        Assert.Equal("CREATE INDEX \"IX_Events_ErrorCode_Id\" ON \"Events\" (\"ErrorCode\", \"Id\") WHERE \"ErrorCode\" IS NOT NULL",
            Schema(DatabasePath).Single(line => line.Contains("\"IX_Events_ErrorCode_Id\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RequestsPage_OnAMigratedFile_ReadsTheTrackedRequestsIndexNewestFirst_ARequestOnlySeenInAWebhookHasNoEntry()
    {
        using (var app = DashboardApp.Start(_dir.Path))
        {
            // A request seen only in a webhook: a Requests row with no state, as most rows are.
            var seen = await app.PostSignedWebhookAsync("""{"status":"SUCCESS","request_id":"req-seen-only","account_id":"acc-1","result":{"connected":true}}""");
            Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
            Assert.Equal(1, app.Scalar<long>("SELECT COUNT(*) FROM Requests WHERE RequestId = 'req-seen-only' AND State IS NULL"));
        }
        SqliteConnection.ClearAllPools();

        // The page's query as RequestQueries asks it: tracked requests newest first, read in the index's order.
        var plan = Plan(db => WeLink.Dashboard.Features.Requests.RequestQueries.Filtered(db, new WeLink.Dashboard.Features.Requests.RequestFilter())
            .OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.RequestId).Take(51));
        Assert.Contains(plan, step => step.Contains("USING INDEX IX_Requests_RequestedAt_RequestId", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));

        // The index holds tracked requests only: a request only seen in a webhook adds no entry to it.
        Assert.Equal("CREATE INDEX \"IX_Requests_RequestedAt_RequestId\" ON \"Requests\" (\"RequestedAt\", \"RequestId\") WHERE \"State\" IS NOT NULL",
            Schema(DatabasePath).Single(line => line.Contains("\"IX_Requests_RequestedAt_RequestId\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void ErrorsOverHours_OnAMigratedFile_FleetWideFromTheCodeTotalsAndErrorCountersOneAccountByItsIndex()
    {
        using (DashboardApp.Start(_dir.Path))
        {
        }
        SqliteConnection.ClearAllPools();
        var until = DateTimeOffset.UtcNow;
        var since = until.AddHours(-48);

        // Per hour and code (totals and series): a range of the per-code totals' key, grouped in its order.
        var perHour = Plan(db => EventCounters.CodeTotals(db, EventCounters.HourMs, since, until)
            .GroupBy(c => new { c.Bucket, c.ErrorCode }).Select(g => new { g.Key.Bucket, g.Key.ErrorCode, Count = g.Sum(c => c.Count) }));
        Assert.Contains(perHour, step => step.Contains("USING PRIMARY KEY (Hour>? AND Hour<?)", StringComparison.Ordinal));
        Assert.DoesNotContain(perHour, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
        // Per account and code: the same range (its rows sorted by account, a day's worth of error rows).
        var perAccount = Plan(db => EventCounters.ErrorsByAccountSummed(db, EventCounters.HourMs, since, until));
        Assert.Contains(perAccount, step => step.Contains("USING PRIMARY KEY (Hour>? AND Hour<?)", StringComparison.Ordinal));
        // One account: its own rows of the hourly counters, sought by account and hour.
        var oneAccount = Plan(db => EventCounters.ErrorsByAccountSummed(db, EventCounters.HourMs, since, until, "acc-1"));
        Assert.Contains(oneAccount, step => step.Contains("USING INDEX IX_HourlyEventCounts_AccountKey_Hour (AccountKey=? AND Hour>? AND Hour<?)", StringComparison.Ordinal));
    }

    [Fact]
    public void Startup_NewFile_SameSchemaAsAMigratedFileOfTheSixOldMigrations()
    {
        using (DashboardApp.Start(_dir.Path))
        {
        }
        SqliteConnection.ClearAllPools();
        Assert.Equal(MigratedOldSchema(), string.Join("\n", Schema(DatabasePath)));
    }

    [Fact]
    public async Task Startup_FileMadeByTheOldMigrations_HistoryMappedAndFileKeepsWorking()
    {
        File.Copy(OldFile, DatabasePath);
        using var app = DashboardApp.Start(_dir.Path);

        Assert.Equal(AllMigrations, History(app));
        Assert.Equal(4, app.Scalar<long>("SELECT COUNT(*) FROM Events"));
        // An old event is still found by text, and its redelivery is still a duplicate.
        var search = await app.Http.GetStringAsync("/api/events?q=req-login-0002");
        Assert.Contains("LOGIN_PIN_REQUIRED", search);
        var pinBody = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "samples", "events", "LOGIN_PIN_REQUIRED.json"));
        Assert.Equal(HttpStatusCode.OK, (await app.PostWebhookAsync(pinBody)).StatusCode);
        Assert.Equal(2, app.Scalar<long>("SELECT DeliveryCount FROM Events WHERE RequestId = 'req-login-0002'"));
        // New deliveries go on being stored and projected.
        var fresh = WebhookSigner.Sign("""{"status":"SUCCESS","request_id":"req-after-squash","account_id":"acc-squash","result":{"connected":true}}""", DashboardApp.Secret);
        Assert.Equal(HttpStatusCode.OK, (await app.PostWebhookAsync(fresh)).StatusCode);
        Assert.Equal(5, app.Scalar<long>("SELECT COUNT(*) FROM Events"));
        Assert.Equal(1, app.Scalar<long>("SELECT EventCount FROM Accounts WHERE AccountId = 'acc-squash'"));
    }

    [Fact]
    public void Startup_FileMadeBeforeSignInRecords_TableAddedAndHistoryMapped()
    {
        File.Copy(OldFile, DatabasePath);
        Run(DatabasePath, "DROP TABLE SignIns; DELETE FROM __EFMigrationsHistory WHERE MigrationId = '20261201144739_SignInRecords';");

        using var app = DashboardApp.Start(_dir.Path);

        Assert.Equal(AllMigrations, History(app));
        Assert.Equal(0, app.Scalar<long>("SELECT COUNT(*) FROM SignIns"));
        app.Dispose();
        SqliteConnection.ClearAllPools();
        Assert.Equal(MigratedOldSchema(), string.Join("\n", Schema(DatabasePath)));
    }

    [Fact]
    public void Startup_FileWithHourlyCountersButNoHourlyErrorCounts_BackfillsTheirErrorRowsSummedOverEventTypes()
    {
        File.Copy(OldFile, DatabasePath);
        // The fixture has one hourly error row (an unattributed STATUS_429 at 1796140800000). Besides it: one
        // account's PROXY_ERROR under two event types in one hour, another account's in the next hour, a row
        // without an error code, and a code whose counts a move left at zero.
        Run(DatabasePath, """
            INSERT INTO HourlyEventCounts (Hour, AccountKey, EventType, ErrorCode, Count) VALUES
                (1796140800000, 'acc-1', 'MESSAGE_FAILED', 'PROXY_ERROR', 2),
                (1796140800000, 'acc-1', 'LOGIN_FAILED', 'PROXY_ERROR', 3),
                (1796144400000, 'acc-2', 'MESSAGE_FAILED', 'PROXY_ERROR', 1),
                (1796144400000, 'acc-2', 'MESSAGE_SENT', '', 7),
                (1796144400000, 'acc-2', 'UNKNOWN', 'STATUS_429', 0);
            """);

        using var app = DashboardApp.Start(_dir.Path);

        Assert.Equal(AllMigrations, History(app));
        Assert.Equal(
            ["1796140800000||STATUS_429|1", "1796140800000|acc-1|PROXY_ERROR|5", "1796144400000|acc-2|PROXY_ERROR|1"],
            RowsAsText(app, "SELECT Hour, AccountKey, ErrorCode, Count FROM HourlyErrorCounts ORDER BY Hour, AccountKey, ErrorCode"));
        Assert.Equal(1, app.Scalar<long>($"SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = '{DashboardDbContext.ErrorsByAccountIndex}'"));
    }

    /// <summary>The old file migrated by this build, then <paramref name="undo"/> run on it: a file as a build before made it.</summary>
    private void AsTheBuildBefore(string undo)
    {
        File.Copy(OldFile, DatabasePath);
        using (DashboardApp.Start(_dir.Path))
        {
        }
        SqliteConnection.ClearAllPools();
        Run(DatabasePath, undo);
    }

    [Fact]
    public void Startup_FileWithHourlyErrorCountsButNoHourlyCodeTotals_BackfillsThemSummedOverAccounts()
    {
        // The file as the build before: no per-hour, per-code totals. Its hourly error rows: one code of two accounts
        // in one hour, the same code in the next hour, another code, and a code whose counts a move left at zero.
        AsTheBuildBefore($"""
            DROP TABLE HourlyCodeTotals;
            DELETE FROM __EFMigrationsHistory WHERE MigrationId IN ('20261203202949_HourlyCodeTotals', '{CountersWithoutRowId}');
            DELETE FROM HourlyErrorCounts;
            INSERT INTO HourlyErrorCounts (Hour, ErrorCode, AccountKey, Count) VALUES
                (1796140800000, 'PROXY_ERROR', 'acc-1', 5),
                (1796140800000, 'PROXY_ERROR', 'acc-2', 2),
                (1796140800000, 'STATUS_429', '', 1),
                (1796144400000, 'PROXY_ERROR', 'acc-2', 1),
                (1796144400000, 'STATUS_429', 'acc-2', 0);
            """);

        using var app = DashboardApp.Start(_dir.Path);

        Assert.Equal(AllMigrations, History(app));
        Assert.Equal(
            ["1796140800000|PROXY_ERROR|7", "1796140800000|STATUS_429|1", "1796144400000|PROXY_ERROR|1"],
            RowsAsText(app, "SELECT Hour, ErrorCode, Count FROM HourlyCodeTotals ORDER BY Hour, ErrorCode"));
    }

    [Fact]
    public void Startup_FileWithDailyErrorCountsButNoRunningTotals_BackfillsThemInDayOrderPerPairAndListsThePairs()
    {
        // The file as the build before: no running totals, no pairs, the old covering index, a rowid table. Its day rows:
        // one pair over three days (not inserted in day order), another account's, an unattributed one.
        AsTheBuildBefore($"""
            DROP TABLE DailyErrorCounts;
            CREATE TABLE "DailyErrorCounts" ("Day" INTEGER NOT NULL, "ErrorCode" TEXT NOT NULL, "AccountKey" TEXT NOT NULL, "Count" INTEGER NOT NULL,
                CONSTRAINT "PK_DailyErrorCounts" PRIMARY KEY ("Day", "ErrorCode", "AccountKey"));
            DROP TABLE AccountErrorCodes;
            CREATE INDEX IX_DailyErrorCounts_AccountKey_ErrorCode_Day_Count ON DailyErrorCounts (AccountKey, ErrorCode, Day, Count);
            DELETE FROM __EFMigrationsHistory WHERE MigrationId IN ('20261204094554_DailyErrorRunningTotals', '{CountersWithoutRowId}');
            INSERT INTO DailyErrorCounts (Day, ErrorCode, AccountKey, Count) VALUES
                (172800000, 'PROXY_ERROR', 'acc-1', 4),
                (0, 'PROXY_ERROR', 'acc-1', 5),
                (86400000, 'PROXY_ERROR', 'acc-1', 2),
                (86400000, 'PROXY_ERROR', 'acc-2', 1),
                (0, 'STATUS_429', '', 3);
            """);

        using var app = DashboardApp.Start(_dir.Path);

        Assert.Equal(AllMigrations, History(app));
        Assert.Equal(
            ["0|PROXY_ERROR|acc-1|5|5", "0|STATUS_429||3|3", "86400000|PROXY_ERROR|acc-1|2|7", "86400000|PROXY_ERROR|acc-2|1|1", "172800000|PROXY_ERROR|acc-1|4|11"],
            RowsAsText(app, "SELECT Day, ErrorCode, AccountKey, Count, RunningCount FROM DailyErrorCounts ORDER BY Day, ErrorCode, AccountKey"));
        Assert.Equal(["|STATUS_429", "acc-1|PROXY_ERROR", "acc-2|PROXY_ERROR"], RowsAsText(app, "SELECT AccountKey, ErrorCode FROM AccountErrorCodes ORDER BY AccountKey, ErrorCode"));
        Assert.Equal(0, app.Scalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'IX_DailyErrorCounts_AccountKey_ErrorCode_Day_Count'"));
        Assert.Equal(1, app.Scalar<long>($"SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = '{DashboardDbContext.ErrorsByAccountIndex}'"));
    }

    /// <summary>
    /// The fixture's events attributed to one account whose row holds the old folded state
    /// ("RateLimited", as the old build showed an account connected but rate limited): after start
    /// its login state and flags are what its events say, not reset to Unknown.
    /// </summary>
    [Fact]
    public async Task Startup_FileWithFoldedAccountStates_RecomputedFromStoredEvents()
    {
        File.Copy(OldFile, DatabasePath);
        var now = DateTimeOffset.UtcNow;
        long Ago(int minutes) => (now - TimeSpan.FromMinutes(minutes)).ToUnixTimeMilliseconds();
        // Event 1: PIN_REQUIRED of login 0002, event 2: LOGIN_SUCCESS of login 0001 (started later), event 4: a STATUS_429.
        Run(DatabasePath, $"""
            UPDATE Events SET AccountId = 'acc-old', ReceivedAt = CASE Id WHEN 1 THEN {Ago(30)} WHEN 2 THEN {Ago(20)} WHEN 3 THEN {Ago(15)} ELSE {Ago(10)} END;
            UPDATE Requests SET AccountId = 'acc-old', CreatedAt = CASE RequestId WHEN 'req-login-0002' THEN {Ago(30)} WHEN 'req-login-0001' THEN {Ago(20)} ELSE {Ago(15)} END;
            UPDATE PinRequests SET AccountId = 'acc-old', Status = 'Expired', ResolvedAt = {Ago(25)};
            INSERT INTO Accounts (AccountId, LoginState, StateChangedAt, RateLimitedAt, EventCount, KnownToWeLink, LastEventAt, LastEventId)
                VALUES ('acc-old', 'RateLimited', {Ago(10)}, {Ago(10)}, 4, 0, {Ago(10)}, 4);
            INSERT INTO AccountStateChanges (AccountId, State, At, EventId) VALUES ('acc-old', 'Connected', {Ago(20)}, 2), ('acc-old', 'RateLimited', {Ago(10)}, 4);
            """);

        using var app = DashboardApp.Start(_dir.Path);

        var account = JsonDocument.Parse(await app.Http.GetStringAsync("/api/accounts/acc-old")).RootElement.GetProperty("account");
        Assert.Equal("Connected", account.GetProperty("loginState").GetString());
        Assert.Equal(Ago(20), account.GetProperty("loginStateSince").GetDateTimeOffset().ToUnixTimeMilliseconds());
        var flag = Assert.Single(account.GetProperty("health").EnumerateArray());
        Assert.Equal("RateLimited", flag.GetProperty("flag").GetString());
        Assert.Equal(Ago(10), flag.GetProperty("since").GetDateTimeOffset().ToUnixTimeMilliseconds());
        // The folded state is gone from the history; the login state's own entries stay.
        Assert.Equal(0, app.Scalar<long>("SELECT COUNT(*) FROM AccountStateChanges WHERE State = 'RateLimited'"));
        Assert.Equal(AccountStateUpgradeVersion, app.Scalar<long>("PRAGMA user_version"));
        // And the account goes on from there.
        var failed = WebhookSigner.Sign("""{"status":"WRONG_PASSWORD","request_id":"req-after-upgrade","account_id":"acc-old"}""", DashboardApp.Secret);
        Assert.Equal(HttpStatusCode.OK, (await app.PostWebhookAsync(failed)).StatusCode);
        Assert.Equal("LoginFailed", app.Scalar<string>("SELECT LoginState FROM Accounts WHERE AccountId = 'acc-old'"));
    }

    private const long AccountStateUpgradeVersion = WeLink.Dashboard.Data.AccountStateUpgrade.TwoDimensionsVersion;
}
