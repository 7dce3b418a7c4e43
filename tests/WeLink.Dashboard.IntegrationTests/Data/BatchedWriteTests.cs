using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Dashboard.Features.Requests;
using WeLink.Dashboard.Features.Retention;
using WeLink.Dashboard.Data.Sql;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Data;

/// <summary>
/// The writer sums counters, accounts' event counts and latest-action times in memory and writes them
/// once per batch: a batch of many events of one account must leave exactly what applying them one
/// at a time leaves, and the counters must equal a recount of the log.
/// </summary>
// SQLite only: it copies and rewrites database files.
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class BatchedWriteTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 21, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan PinTimeout = TimeSpan.FromMinutes(10);
    private static readonly string[] Tables =
    [
        "Events", "HourlyEventCounts", "DailyEventCounts", "HourlyErrorCounts", "DailyErrorCounts", "DailyCodeTotals", "HourlyCodeTotals", "AccountErrorCodes", "Accounts", "AccountStateChanges",
        "Requests", "PinRequests",
    ];

    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void UsePageCache_BulkSession_TakesThatCacheAndItsLargeBatchStillEqualsARecount()
    {
        var bulk = Copy("bulk.db");
        var clock = new SetClock();
        var events = Traffic(300).ToList();
        using (var session = WriteSession.Open($"Data Source={bulk};Pooling=False", clock))
        {
            Assert.Equal(-WriteSession.WriterCacheMiB * 1024, session.Scalar<long>("PRAGMA cache_size"));

            session.UsePageCache(256);

            Assert.Equal(-256 * 1024, session.Scalar<long>("PRAGMA cache_size"));
            Assert.Equal(events.Count, session.ApplyAll(events.Select(e =>
            {
                clock.Now = e.At;
                return (WriteOperation)new StoreWebhookEvent(e.Request, PinTimeout);
            })));
        }
        // Every distinct body stored once (the traffic redelivers some).
        Assert.Equal(events.Select(e => Convert.ToHexString(e.Request.ContentDigest)).Distinct().Count(), SqliteFile.Scalar<long>(bulk, "SELECT COUNT(*) FROM Events"));
        AssertCountersEqualRecount(bulk);
    }

    [Fact]
    public void ApplyAll_ManyEventsOfOneAccountInOneBatch_SameRowsAsOneByOneAndCountersEqualRecount()
    {
        var (batched, single) = (Copy("batched.db"), Copy("single.db"));
        var events = Traffic(240).ToList();

        var clock = new SetClock();
        using (var session = WriteSession.Open($"Data Source={batched};Pooling=False", clock))
        {
            session.ApplyAll(events.Select((e, i) =>
            {
                clock.Now = e.At;
                return (WriteOperation)new StoreWebhookEvent(e.Request, PinTimeout);
            }));
        }
        using (var session = WriteSession.Open($"Data Source={single};Pooling=False", clock))
        {
            foreach (var e in events)
            {
                clock.Now = e.At;
                session.ApplyAll([new StoreWebhookEvent(e.Request, PinTimeout)]);
            }
        }

        foreach (var table in Tables) Assert.Equal(Dump(single, table), Dump(batched, table));
        // The batch really mixed many events of one account, and its latest action moved with them.
        Assert.True(SqliteFile.Scalar<long>(batched, "SELECT EventCount FROM Accounts WHERE AccountId = 'acc-1'") > 100);
        // (Its last event is a redelivery or a proxy error, which are no action: the last send or login is.)
        var lastAction = SqliteFile.Scalar<long>(batched, "SELECT LastActionAt FROM Accounts WHERE AccountId = 'acc-1'");
        Assert.InRange(lastAction, events[^8].At.ToUnixTimeMilliseconds(), events[^1].At.ToUnixTimeMilliseconds());
        AssertCountersEqualRecount(batched);
    }

    [Fact]
    public void DeleteExpiredRows_CountersWithoutRowId_BatchesOfTheSizeAskedOldestKeysFirstNewerRowsKept()
    {
        var path = Copy("expiring-counters.db");
        var cutoff = Start.AddHours(3).ToUnixTimeMilliseconds();
        var day = cutoff - cutoff % EventCounters.DayMs;
        // 1,234 hourly rows before the cut-off (13 hours of 95 accounts less one), 40 at or after it; daily rows of
        // the day that ended before the cut-off's day began (1,001), and of the cut-off's own day (not over yet).
        var hourly = new List<string>();
        for (var i = 0; i < 1_234; i++) hourly.Add($"({cutoff - (1 + i % 13) * EventCounters.HourMs}, 'acc-{i / 13:D3}', 'CONNECTION_SENT', '', {i + 1})");
        for (var i = 0; i < 40; i++) hourly.Add($"({cutoff + i % 2 * EventCounters.HourMs}, 'acc-{i:D3}', 'MESSAGE_SENT', '', 1)");
        var daily = new List<string>();
        for (var i = 0; i < 1_001; i++) daily.Add($"({day - EventCounters.DayMs}, 'acc-{i:D4}', 'LOGIN_FAILED', 'PROXY_ERROR', 2)");
        for (var i = 0; i < 30; i++) daily.Add($"({day}, 'acc-{i:D4}', 'LOGIN_FAILED', 'PROXY_ERROR', 2)");
        using (var connection = SqliteFile.Open(path))
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"""
                INSERT INTO HourlyEventCounts (Hour, AccountKey, EventType, ErrorCode, Count) VALUES {string.Join(", ", hourly)};
                INSERT INTO DailyEventCounts (Day, AccountKey, EventType, ErrorCode, Count) VALUES {string.Join(", ", daily)};
                """;
            command.ExecuteNonQuery();
        }
        string Keys(string table, string key) => string.Join(",", Rows(path, $"SELECT {key} FROM {table} ORDER BY {key}"));
        const string hourlyKey = "Hour, AccountKey, EventType, ErrorCode";
        var hourlyInOrder = Rows(path, $"SELECT {hourlyKey} FROM HourlyEventCounts ORDER BY {hourlyKey}");

        using var session = WriteSession.Open($"Data Source={path};Pooling=False", TimeProvider.System);
        // Each batch takes the oldest rows in key order, exactly as many as asked until fewer are left.
        var taken = new List<int>();
        for (int deleted; (deleted = session.DeleteExpiredRows(ExpiringTable.HourlyEventCounts, cutoff, 500)) > 0;)
        {
            taken.Add(deleted);
            Assert.Equal(string.Join(",", hourlyInOrder.Skip(taken.Sum())), Keys("HourlyEventCounts", hourlyKey));
        }
        Assert.Equal([500, 500, 234], taken);
        Assert.Equal(40, SqliteFile.Scalar<long>(path, $"SELECT COUNT(*) FROM HourlyEventCounts WHERE Hour >= {cutoff}"));

        // A day goes once all of it is before the cut-off: the day before goes in batches, the cut-off's own day stays.
        Assert.Equal(500, session.DeleteExpiredRows(ExpiringTable.DailyEventCounts, cutoff, 500));
        Assert.Equal(500, session.DeleteExpiredRows(ExpiringTable.DailyEventCounts, cutoff, 500));
        Assert.Equal(1, session.DeleteExpiredRows(ExpiringTable.DailyEventCounts, cutoff, 500));
        Assert.Equal(0, session.DeleteExpiredRows(ExpiringTable.DailyEventCounts, cutoff, 500));
        Assert.Equal([$"{day}|30"], Rows(path, "SELECT Day, COUNT(*) FROM DailyEventCounts GROUP BY Day"));
        // The day ends the millisecond before the next begins: with the cut-off there, it is over and goes.
        Assert.Equal(30, session.DeleteExpiredRows(ExpiringTable.DailyEventCounts, day + EventCounters.DayMs, 500));
    }

    [Fact]
    public void DailyCodeTotals_AfterIngestReattributionAndRetention_EqualRecountOfEvents()
    {
        var path = Copy("totals.db");
        var clock = new SetClock();
        using (var session = WriteSession.Open($"Data Source={path};Pooling=False", clock))
        {
            var events = StoreTraffic(session, clock, 240);
            AssertCountersEqualRecount(path);
            Assert.True(SqliteFile.Scalar<long>(path, "SELECT COUNT(DISTINCT Day) FROM DailyCodeTotals") >= 2);

            // Reattribution: unattributed failures become logins of an account (counts move between accounts and types, not codes).
            clock.Now = Start.AddDays(3);
            var moved = session.ApplyAll(events.Where(e => e.Account is null).Take(5)
                .Select(e => (WriteOperation)new RegisterRequest(new RequestRegistration(e.RequestId, "acc-3", "login"), PinTimeout)));
            Assert.Equal(5, moved);
            Assert.True(SqliteFile.Scalar<long>(path, "SELECT COUNT(*) FROM Events WHERE AccountId = 'acc-3'") > 0);
            AssertCountersEqualRecount(path);

            // Retention: the first day's events go and so do its counter rows.
            var cutoff = Start.AddHours(3).ToUnixTimeMilliseconds();
            session.ApplyAll([new DeleteExpiredEvents(cutoff, 100_000)]);
            session.ApplyAll(ExpiredRows.Tables.Select(t => (WriteOperation)new DeleteExpiredRows(t, cutoff, 100_000)));
            Assert.True(SqliteFile.Scalar<long>(path, "SELECT COUNT(*) FROM Events") > 0);
            Assert.Equal(0, SqliteFile.Scalar<long>(path, $"SELECT COUNT(*) FROM Events WHERE ReceivedAt < {cutoff}"));
        }
        AssertCountersEqualRecount(path);
    }

    [Fact]
    public void HourlyErrorCounts_AfterIngestReattributionAndRetention_ErrorEventsOnlyEqualRecountAndNoEmptyRows()
    {
        var path = Copy("hourly-errors.db");
        var clock = new SetClock();
        using (var session = WriteSession.Open($"Data Source={path};Pooling=False", clock))
        {
            var events = StoreTraffic(session, clock, 240);
            // Error events only: a row per hour, code and account, whatever the event type; none without a code.
            Assert.Equal(SqliteFile.Scalar<long>(path, "SELECT COUNT(*) FROM Events WHERE ErrorCode IS NOT NULL"),
                SqliteFile.Scalar<long>(path, "SELECT SUM(Count) FROM HourlyErrorCounts"));
            Assert.True(SqliteFile.Scalar<long>(path, "SELECT COUNT(*) FROM Events WHERE ErrorCode IS NULL") > 0);
            Assert.Equal(0, SqliteFile.Scalar<long>(path, "SELECT COUNT(*) FROM HourlyErrorCounts WHERE ErrorCode = ''"));
            Assert.True(SqliteFile.Scalar<long>(path, "SELECT COUNT(DISTINCT Hour) FROM HourlyErrorCounts") > 24);
            AssertCountersEqualRecount(path);

            // Reattribution: unattributed PROXY_ERRORs become logins of acc-3. Their hours' unattributed rows
            // drop to zero and go; acc-3's rows appear.
            clock.Now = Start.AddDays(3);
            var movedIds = events.Where(e => e.Account is null).Take(5).Select(e => e.RequestId).ToList();
            var moved = session.ApplyAll(movedIds.Select(id => (WriteOperation)new RegisterRequest(new RequestRegistration(id, "acc-3", "login"), PinTimeout)));
            Assert.Equal(5, moved);
            Assert.Equal(5, SqliteFile.Scalar<long>(path, "SELECT SUM(Count) FROM HourlyErrorCounts WHERE AccountKey = 'acc-3' AND ErrorCode = 'PROXY_ERROR'"));
            Assert.Equal(0, SqliteFile.Scalar<long>(path, "SELECT COUNT(*) FROM HourlyErrorCounts WHERE Count <= 0"));
            AssertCountersEqualRecount(path);

            // Retention: the hours before the cut-off go.
            var cutoff = Start.AddHours(3).ToUnixTimeMilliseconds();
            session.ApplyAll([new DeleteExpiredEvents(cutoff, 100_000)]);
            session.ApplyAll(ExpiredRows.Tables.Select(t => (WriteOperation)new DeleteExpiredRows(t, cutoff, 100_000)));
            Assert.Equal(0, SqliteFile.Scalar<long>(path, $"SELECT COUNT(*) FROM HourlyErrorCounts WHERE Hour < {cutoff}"));
            Assert.Equal(0, SqliteFile.Scalar<long>(path, $"SELECT COUNT(*) FROM HourlyCodeTotals WHERE Hour < {cutoff}"));
            Assert.True(SqliteFile.Scalar<long>(path, "SELECT COUNT(*) FROM HourlyCodeTotals") > 0);
            Assert.True(SqliteFile.Scalar<long>(path, "SELECT COUNT(*) FROM HourlyErrorCounts") > 0);
        }
        AssertCountersEqualRecount(path);
    }

    [Fact]
    public async Task ErrorsByAccountOverDays_OlderDaysWrittenLateReattributionAndRetention_EqualRecountOverEveryRange()
    {
        var path = Copy("running-totals.db");
        var clock = new SetClock();
        using (var session = WriteSession.Open($"Data Source={path};Pooling=False", clock))
        {
            // Days 4 to 6 first, then days 0 to 2: the older days' rows come in before rows that already exist, whose
            // running totals must take them in.
            StoreTraffic(session, clock, 240, TimeSpan.FromDays(4), "late-");
            var early = StoreTraffic(session, clock, 240);
            StoreTraffic(session, clock, 60, TimeSpan.FromDays(1.5), "mid-");
            Assert.True(SqliteFile.Scalar<long>(path, "SELECT COUNT(DISTINCT Day) FROM DailyErrorCounts") >= 5);
            await AssertErrorsByAccountEqualRecountAsync(path);

            // Reattribution on day 0: unattributed failures become acc-3's, every later day's running total of both pairs moves.
            clock.Now = Start.AddDays(7);
            Assert.Equal(5, session.ApplyAll(early.Where(e => e.Account is null).Take(5)
                .Select(e => (WriteOperation)new RegisterRequest(new RequestRegistration(e.RequestId, "acc-3", "login"), PinTimeout))));
            Assert.Equal(5, SqliteFile.Scalar<long>(path, "SELECT SUM(Count) FROM DailyErrorCounts WHERE AccountKey = 'acc-3'"));
            await AssertErrorsByAccountEqualRecountAsync(path);

            // Retention takes the first day (Start + 3 h is midnight): the ranges that begin before it still add up.
            var cutoff = Start.AddHours(3).ToUnixTimeMilliseconds();
            session.ApplyAll([new DeleteExpiredEvents(cutoff, 100_000)]);
            session.ApplyAll(ExpiredRows.Tables.Select(t => (WriteOperation)new DeleteExpiredRows(t, cutoff, 100_000)));
            Assert.Equal(0, SqliteFile.Scalar<long>(path, $"SELECT COUNT(*) FROM DailyErrorCounts WHERE Day < {cutoff}"));
            Assert.True(SqliteFile.Scalar<long>(path, "SELECT MIN(RunningCount - Count) FROM (SELECT * FROM DailyErrorCounts ORDER BY Day LIMIT 1)") >= 0);
        }
        await AssertErrorsByAccountEqualRecountAsync(path);
        AssertCountersEqualRecount(path);
    }

    /// <summary>
    /// The fleet-wide breakdown per account and code from the running totals, over every range of whole days the log
    /// touches (and open ones), against the same sums taken over the log.
    /// </summary>
    private static async Task AssertErrorsByAccountEqualRecountAsync(string path)
    {
        const long DayMs = EventCounters.DayMs;
        var days = Rows(path, $"SELECT DISTINCT ReceivedAt - ReceivedAt % {DayMs} FROM Events").Select(long.Parse).Order().ToList();
        var starts = days.Prepend(long.MinValue).Append(days[^1] + DayMs).ToList();
        await using var db = new DashboardDbContext(new DbContextOptionsBuilder<DashboardDbContext>()
            .UseSqlite($"Data Source={path};Mode=ReadOnly;Pooling=False").Options);
        var compared = 0;
        foreach (var from in starts)
            foreach (var to in starts.Append(long.MaxValue).Where(t => t > from))
            {
                var read = await db.ErrorsByAccountOverDaysAsync(from, to, CancellationToken.None);
                var recount = Rows(path,
                    $"SELECT COALESCE(AccountId, ''), ErrorCode, COUNT(*) FROM Events WHERE ErrorCode IS NOT NULL AND ReceivedAt >= {from} AND ReceivedAt < {to} GROUP BY 1, 2");
                var answer = read.Select(r => string.Join('|', r.AccountKey, r.ErrorCode, r.Count)).Order(StringComparer.Ordinal).ToList();
                Assert.True(recount.SequenceEqual(answer), $"[{from}, {to}): recount {string.Join(", ", recount)}; read {string.Join(", ", answer)}");
                compared++;
            }
        Assert.True(compared > 20);
    }

    [Fact]
    public void DailyCodeTotalsMigration_OnAFileWithErrorRollups_BackfillsTheirSumsPerDayAndCode()
    {
        var path = Copy("dashboard-before.db");
        using (var connection = SqliteFile.Open(path))
        using (var command = connection.CreateCommand())
        {
            // A file from before the table: error rollups of two accounts over two days.
            command.CommandText =
                """
                DROP TABLE DailyCodeTotals;
                DELETE FROM __EFMigrationsHistory WHERE MigrationId LIKE '%_DailyCodeTotals';
                INSERT INTO DailyErrorCounts (Day, ErrorCode, AccountKey, Count) VALUES
                    (0, 'PROXY_ERROR', 'acc-1', 3), (0, 'PROXY_ERROR', '', 2), (0, 'STATUS_429', 'acc-1', 1), (86400000, 'PROXY_ERROR', 'acc-2', 5);
                """;
            command.ExecuteNonQuery();
        }
        using var restarted = new TestDirectory();
        File.Copy(path, Path.Combine(restarted.Path, "dashboard.db"));
        DashboardApp.Start(restarted.Path).Dispose();

        Assert.Equal(["0|PROXY_ERROR|5", "0|STATUS_429|1", "86400000|PROXY_ERROR|5"],
            Rows(Path.Combine(restarted.Path, "dashboard.db"), "SELECT Day, ErrorCode, Count FROM DailyCodeTotals"));
    }

    [Fact]
    public void WriteAheadLog_GrownPastItsLimitWhileAReaderHeldIt_IsCutBackOnceItRestarts()
    {
        var path = Copy("wal.db");
        var wal = path + "-wal";
        using var session = WriteSession.Open($"Data Source={path};Pooling=False", TimeProvider.System);
        // About 5 MB a batch: enough batches for the log to pass its limit by a quarter.
        var batches = (int)(WriteSession.WalSizeLimitBytes * 5 / 4 / (50 * 100_000)) + 1;
        using (var reader = SqliteFile.Open(path))
        {
            // A reader inside a transaction keeps its snapshot: the log is checkpointed only up to it and cannot restart.
            using (var begin = reader.CreateCommand())
            {
                begin.CommandText = "BEGIN; SELECT COUNT(*) FROM Events;";
                begin.ExecuteScalar();
            }
            for (var batch = 0; batch < batches; batch++) session.ApplyAll(LargeEvents(batch, 50));
            session.CheckpointWal();
            Assert.True(new FileInfo(wal).Length > WriteSession.WalSizeLimitBytes, $"log {new FileInfo(wal).Length} bytes");
        }

        // The reader is gone: the checkpoint copies everything back, and the next commit starts the log over.
        session.CheckpointWal();
        session.ApplyAll(LargeEvents(batches, 1));

        Assert.InRange(new FileInfo(wal).Length, 1, WriteSession.WalSizeLimitBytes);
        Assert.Equal(batches * 50 + 1, SqliteFile.Scalar<long>(path, "SELECT COUNT(*) FROM Events"));
    }

    /// <summary>Events with a 100 KB message each, so that a few hundred fill the log past its limit.</summary>
    private static IEnumerable<WriteOperation> LargeEvents(int batch, int count)
    {
        var filler = new string('x', 100_000);
        for (var i = 0; i < count; i++)
        {
            var body = Encoding.UTF8.GetBytes($$"""{"status":"FAILED","request_id":"w{{batch}}-{{i}}","error":"PROXY_ERROR","message":"{{filler}}"}""");
            var root = JsonDocument.Parse(body).RootElement;
            yield return new StoreWebhookEvent(new IngestRequest(body, CanonicalJson.ContentDigest(root), WebhookEnvelope.Read(root),
                new WebhookHints(EventTypes.MessageFailed, "acc-1"), SignatureOutcome.VerifiedNode), PinTimeout);
        }
    }

    /// <summary>Every counter table against the same sums taken over the log.</summary>
    private static void AssertCountersEqualRecount(string path)
    {
        const string Hour = "ReceivedAt - ReceivedAt % 3600000";
        const string Day = "ReceivedAt - ReceivedAt % 86400000";
        Assert.Equal(
            Rows(path, $"SELECT {Hour}, COALESCE(AccountId, ''), EventType, COALESCE(ErrorCode, ''), COUNT(*) FROM Events GROUP BY 1, 2, 3, 4"),
            Rows(path, "SELECT Hour, AccountKey, EventType, ErrorCode, Count FROM HourlyEventCounts WHERE Count <> 0"));
        Assert.Equal(
            Rows(path, $"SELECT {Day}, COALESCE(AccountId, ''), EventType, COALESCE(ErrorCode, ''), COUNT(*) FROM Events GROUP BY 1, 2, 3, 4"),
            Rows(path, "SELECT Day, AccountKey, EventType, ErrorCode, Count FROM DailyEventCounts WHERE Count <> 0"));
        Assert.Equal(
            Rows(path, $"SELECT {Hour}, ErrorCode, COALESCE(AccountId, ''), COUNT(*) FROM Events WHERE ErrorCode IS NOT NULL GROUP BY 1, 2, 3"),
            Rows(path, "SELECT Hour, ErrorCode, AccountKey, Count FROM HourlyErrorCounts WHERE Count <> 0"));
        Assert.Equal(
            Rows(path, $"SELECT {Day}, ErrorCode, COALESCE(AccountId, ''), COUNT(*) FROM Events WHERE ErrorCode IS NOT NULL GROUP BY 1, 2, 3"),
            Rows(path, "SELECT Day, ErrorCode, AccountKey, Count FROM DailyErrorCounts WHERE Count <> 0"));
        // Each day row's running total is the pair's row before it plus its own count; every pair is listed.
        Assert.Equal(0, SqliteFile.Scalar<long>(path,
            """
            SELECT COUNT(*) FROM (SELECT RunningCount - Count AS Before,
                LAG(RunningCount) OVER (PARTITION BY AccountKey, ErrorCode ORDER BY Day) AS Previous FROM DailyErrorCounts)
            WHERE Previous IS NOT NULL AND Before <> Previous
            """));
        Assert.Equal(0, SqliteFile.Scalar<long>(path,
            "SELECT COUNT(*) FROM DailyErrorCounts d WHERE NOT EXISTS (SELECT 1 FROM AccountErrorCodes p WHERE p.AccountKey = d.AccountKey AND p.ErrorCode = d.ErrorCode)"));
        Assert.Equal(
            Rows(path, $"SELECT {Day}, ErrorCode, COUNT(*) FROM Events WHERE ErrorCode IS NOT NULL GROUP BY 1, 2"),
            Rows(path, "SELECT Day, ErrorCode, Count FROM DailyCodeTotals WHERE Count <> 0"));
        Assert.Equal(
            Rows(path, $"SELECT {Hour}, ErrorCode, COUNT(*) FROM Events WHERE ErrorCode IS NOT NULL GROUP BY 1, 2"),
            Rows(path, "SELECT Hour, ErrorCode, Count FROM HourlyCodeTotals WHERE Count <> 0"));
        Assert.Equal(
            Rows(path, "SELECT AccountId, COUNT(*), MAX(Id) FROM Events WHERE AccountId IS NOT NULL GROUP BY 1"),
            Rows(path, "SELECT AccountId, EventCount, LastEventId FROM Accounts WHERE EventCount > 0"));
    }

    [Fact]
    public void Profile_ABatchOfEvents_CommitTimedOnceApartFromTheStatementsBeforeIt()
    {
        var path = Copy("profile.db");
        var thread = Environment.CurrentManagedThreadId;
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Statements are recorded only while their time is listened to as well.
            if (instrument.Meter.Name == IngestMetrics.MeterName && instrument.Name.StartsWith("welink.ingest.statement.", StringComparison.Ordinal)) l.EnableMeasurementEvents(instrument);
        };
        // Only this test's thread: other tests write on theirs at the same time.
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (Environment.CurrentManagedThreadId != thread) return;
            foreach (var tag in tags) if (tag.Key == "statement") counts[(string)tag.Value!] = counts.GetValueOrDefault((string)tag.Value!) + value;
        });
        listener.Start();

        var clock = new SetClock();
        using (var session = WriteSession.Open($"Data Source={path};Pooling=False", clock)) StoreTraffic(session, clock, 40);

        // One transaction: one commit, measured as its own statement beside the 40 inserts it makes durable.
        Assert.Equal(1, counts.GetValueOrDefault("COMMIT"));
        Assert.Equal(40, counts.GetValueOrDefault("INSERT Events"));
    }

    private sealed record TrafficEvent(DateTimeOffset At, IngestRequest Request, string? Account, string RequestId);

    /// <summary>Stores <paramref name="count"/> events of <see cref="Traffic"/> in one batch, each at its own time; answers them.</summary>
    private static List<TrafficEvent> StoreTraffic(WriteSession session, SetClock clock, int count, TimeSpan offset = default, string prefix = "")
    {
        var events = Traffic(count, offset, prefix).ToList();
        session.ApplyAll(events.Select(e =>
        {
            clock.Now = e.At;
            return (WriteOperation)new StoreWebhookEvent(e.Request, PinTimeout);
        }));
        return events;
    }

    /// <summary>
    /// Mostly one account: sends, failures with three error codes (one a health flag), PIN logins and
    /// their outcomes, redeliveries; a second account and unattributed failures; 10 minutes apart, so
    /// the events cover several hours and two days.
    /// </summary>
    private static IEnumerable<TrafficEvent> Traffic(int count, TimeSpan offset = default, string prefix = "")
    {
        var bodies = new List<(string Json, WebhookHints Hints, string? Account, string RequestId)>();
        for (var i = 0; i < count; i++)
        {
            bodies.Add((i % 8) switch
            {
                0 => ($$"""{"status":"SUCCESS","request_id":"c{{i}}"}""", new WebhookHints(EventTypes.ConnectionSent, "acc-1"), "acc-1", $"c{i}"),
                1 => ($$"""{"status":"FAILED","requestId":"m{{i}}","error":"PROXY_ERROR"}""", new WebhookHints(EventTypes.MessageFailed, "acc-1"), "acc-1", $"m{i}"),
                2 => ($$"""{"status":"FAILED","requestId":"m{{i}}","error":"STATUS_429"}""", new WebhookHints(EventTypes.MessageFailed, "acc-1"), "acc-1", $"m{i}"),
                3 => ($$"""{"status":"PIN_REQUIRED","request_id":"l{{i}}","message":"Please provide the code"}""", new WebhookHints(null, "acc-1"), "acc-1", $"l{i}"),
                4 => ($$$"""{"status":"SUCCESS","request_id":"l{{{i - 1}}}","result":{"first_name":"Zoë","email":"zoe@example.com","profile_id":"P1"}}""",
                    WebhookHints.None, "acc-1", $"l{i - 1}"),
                5 => ($$"""{"status":"ACCOUNT_RESTRICTED","request_id":"r{{i}}"}""", new WebhookHints(null, "acc-2"), "acc-2", $"r{i}"),
                6 => (bodies[i - 6].Json, bodies[i - 6].Hints, bodies[i - 6].Account, bodies[i - 6].RequestId),
                _ => ($$"""{"status":"FAILED","requestId":"u{{i}}","error":"PROXY_ERROR"}""", WebhookHints.None, null, $"u{i}"),
            });
        }
        for (var i = 0; i < count; i++)
        {
            var (json, hints, account, requestId) = bodies[i];
            if (prefix.Length > 0)
            {
                json = json.Replace("\"request_id\":\"", "\"request_id\":\"" + prefix, StringComparison.Ordinal)
                    .Replace("\"requestId\":\"", "\"requestId\":\"" + prefix, StringComparison.Ordinal);
                requestId = prefix + requestId;
            }
            var body = Encoding.UTF8.GetBytes(json);
            // The document stays open: the envelope's result points into it until the write is done.
            var root = JsonDocument.Parse(body).RootElement;
            yield return new TrafficEvent(Start.Add(offset).AddMinutes(10 * i), new IngestRequest(body, CanonicalJson.ContentDigest(root), WebhookEnvelope.Read(root),
                hints, SignatureOutcome.VerifiedNode), account, requestId);
        }
    }

    /// <summary>A fresh copy of a file the dashboard created and migrated.</summary>
    private string Copy(string name)
    {
        var template = Path.Combine(_dir.Path, "dashboard.db");
        if (!File.Exists(template))
        {
            DashboardApp.Start(_dir.Path).Dispose();
            using var session = WriteSession.Open($"Data Source={template};Pooling=False", TimeProvider.System);
            session.CheckpointWal(truncate: true);
        }
        var path = Path.Combine(_dir.Path, name);
        File.Copy(template, path);
        return path;
    }

    private static List<string> Dump(string path, string table) => Rows(path, $"SELECT * FROM {table}");

    private static List<string> Rows(string path, string sql)
    {
        using var connection = SqliteFile.Open(path, readOnly: true);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(string.Join('|', values.Select(v => v is byte[] b ? Convert.ToHexString(b) : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private sealed class SetClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = Start;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
