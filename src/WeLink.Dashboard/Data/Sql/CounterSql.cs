using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data.PostgreSql;

namespace WeLink.Dashboard.Data.Sql;

/// <summary>Statements on the counters: <c>HourlyEventCounts</c>, <c>DailyEventCounts</c>, <c>HourlyErrorCounts</c>, <c>DailyErrorCounts</c>, <c>DailyCodeTotals</c>, <c>HourlyCodeTotals</c>, <c>RejectedDeliveryCounts</c>.</summary>
internal static class CounterSql
{
    /// <summary>
    /// Adds <paramref name="delta"/> events at <paramref name="at"/> to the hourly, daily and (with an
    /// error) hourly error, daily error, hourly per-code and daily per-code counters. Summed in memory and written once per key when
    /// the batch commits: a batch of a few hundred events touches a few dozen counter rows.
    /// </summary>
    public static void AddEventCounts(this WriteSession session, long at, string accountKey, string eventType, string? errorCode, long delta)
    {
        var pending = session.PendingCounts;
        var hour = at - at % EventCounters.HourMs;
        var day = at - at % EventCounters.DayMs;
        var code = errorCode ?? "";
        Add(pending, new CounterKey(CounterTable.Hourly, hour, accountKey, eventType, code), delta);
        Add(pending, new CounterKey(CounterTable.Daily, day, accountKey, eventType, code), delta);
        if (errorCode is null) return;
        Add(pending, new CounterKey(CounterTable.HourlyError, hour, accountKey, "", code), delta);
        Add(pending, new CounterKey(CounterTable.DailyError, day, accountKey, "", code), delta);
        Add(pending, new CounterKey(CounterTable.DailyCode, day, "", "", code), delta);
        Add(pending, new CounterKey(CounterTable.HourlyCode, hour, "", "", code), delta);
    }

    private static void Add(Dictionary<CounterKey, long> pending, CounterKey key, long delta)
    {
        ref var sum = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(pending, key, out _);
        sum += delta;
    }

    /// <summary>Writes the summed counter deltas, one upsert per key; a key whose deltas cancel out writes nothing.</summary>
    internal static void WritePendingCounts(WriteSession session)
    {
        var pending = session.PendingCounts;
        if (pending.Count == 0) return;
        // On PostgreSQL another instance may be adding to the same rows: both take them in key order, so
        // neither holds one the other waits for.
        IEnumerable<KeyValuePair<CounterKey, long>> keys = session.Dialect.OrdersLocks ? pending.OrderBy(p => p.Key, CounterKeyOrder.Instance) : pending;
        foreach (var (key, delta) in keys)
        {
            if (delta == 0) continue;
            switch (key.Table)
            {
                case CounterTable.Hourly:
                    session.Execute(
                        """
                        INSERT INTO HourlyEventCounts (Hour, AccountKey, EventType, ErrorCode, Count) VALUES ($h, $a, $t, $e, $n)
                        ON CONFLICT (Hour, AccountKey, EventType, ErrorCode) DO UPDATE SET Count = HourlyEventCounts.Count + excluded.Count
                        """,
                        ("$h", key.Bucket), ("$a", key.AccountKey), ("$t", key.EventType), ("$e", key.ErrorCode), ("$n", delta));
                    break;
                case CounterTable.Daily:
                    session.Execute(
                        """
                        INSERT INTO DailyEventCounts (Day, AccountKey, EventType, ErrorCode, Count) VALUES ($d, $a, $t, $e, $n)
                        ON CONFLICT (Day, AccountKey, EventType, ErrorCode) DO UPDATE SET Count = DailyEventCounts.Count + excluded.Count
                        """,
                        ("$d", key.Bucket), ("$a", key.AccountKey), ("$t", key.EventType), ("$e", key.ErrorCode), ("$n", delta));
                    break;
                case CounterTable.HourlyError:
                    session.Execute(
                        """
                        INSERT INTO HourlyErrorCounts (Hour, ErrorCode, AccountKey, Count) VALUES ($h, $e, $a, $n)
                        ON CONFLICT (Hour, ErrorCode, AccountKey) DO UPDATE SET Count = HourlyErrorCounts.Count + excluded.Count
                        """,
                        ("$h", key.Bucket), ("$e", key.ErrorCode), ("$a", key.AccountKey), ("$n", delta));
                    break;
                case CounterTable.DailyError when session.Dialect.IsSqlite:
                    WriteDailyErrorCountWithRunningTotal(session, key, delta);
                    break;
                case CounterTable.DailyError:
                    session.Execute(
                        """
                        INSERT INTO DailyErrorCounts (Day, ErrorCode, AccountKey, Count) VALUES ($d, $e, $a, $n)
                        ON CONFLICT (Day, ErrorCode, AccountKey) DO UPDATE SET Count = DailyErrorCounts.Count + excluded.Count
                        """,
                        ("$d", key.Bucket), ("$e", key.ErrorCode), ("$a", key.AccountKey), ("$n", delta));
                    break;
                case CounterTable.DailyCode:
                    session.Execute(
                        """
                        INSERT INTO DailyCodeTotals (Day, ErrorCode, Count) VALUES ($d, $e, $n)
                        ON CONFLICT (Day, ErrorCode) DO UPDATE SET Count = DailyCodeTotals.Count + excluded.Count
                        """,
                        ("$d", key.Bucket), ("$e", key.ErrorCode), ("$n", delta));
                    break;
                case CounterTable.HourlyCode:
                    session.Execute(
                        """
                        INSERT INTO HourlyCodeTotals (Hour, ErrorCode, Count) VALUES ($h, $e, $n)
                        ON CONFLICT (Hour, ErrorCode) DO UPDATE SET Count = HourlyCodeTotals.Count + excluded.Count
                        """,
                        ("$h", key.Bucket), ("$e", key.ErrorCode), ("$n", delta));
                    break;
            }
        }
        pending.Clear();
    }

    /// <summary>
    /// SQLite: adds <paramref name="delta"/> to the day's row and to its running total, which a new row starts from the
    /// pair's row before it; the pair's rows after that day (a move of an older event, never live ingest) carry the
    /// delta in their running totals too. The pair is listed for the breakdown's lookups. The single writer makes these
    /// three statements one step: nothing else writes the rows between them.
    /// </summary>
    private static void WriteDailyErrorCountWithRunningTotal(WriteSession session, CounterKey key, long delta)
    {
        var parameters = new (string, object?)[] { ("$d", key.Bucket), ("$e", key.ErrorCode), ("$a", key.AccountKey), ("$n", delta) };
        session.Execute(
            $"""
            INSERT INTO DailyErrorCounts (Day, ErrorCode, AccountKey, Count, RunningCount)
            VALUES ($d, $e, $a, $n, $n + COALESCE((
                SELECT RunningCount FROM DailyErrorCounts INDEXED BY {DashboardDbContext.ErrorsByAccountIndex}
                WHERE AccountKey = $a AND ErrorCode = $e AND Day < $d ORDER BY Day DESC LIMIT 1), 0))
            ON CONFLICT (Day, ErrorCode, AccountKey) DO UPDATE
                SET Count = DailyErrorCounts.Count + excluded.Count, RunningCount = DailyErrorCounts.RunningCount + excluded.Count
            """,
            parameters);
        session.Execute(
            $"""
            UPDATE DailyErrorCounts INDEXED BY {DashboardDbContext.ErrorsByAccountIndex} SET RunningCount = RunningCount + $n
            WHERE AccountKey = $a AND ErrorCode = $e AND Day > $d
            """,
            parameters);
        if (delta > 0)
            session.Execute("INSERT INTO AccountErrorCodes (AccountKey, ErrorCode) VALUES ($a, $e) ON CONFLICT DO NOTHING", ("$a", key.AccountKey), ("$e", key.ErrorCode));
    }

    /// <summary>Drops the account's counter rows around <paramref name="at"/> that a move emptied; they would read as zero-count entries.</summary>
    public static void DeleteEmptyEventCounts(this WriteSession session, long at, string accountKey)
    {
        // The moves summed so far must be in the rows before they are looked at.
        WritePendingCounts(session);
        session.Execute("DELETE FROM HourlyEventCounts WHERE Hour = $h AND AccountKey = $a AND Count <= 0", ("$h", at - at % EventCounters.HourMs), ("$a", accountKey));
        session.Execute("DELETE FROM DailyEventCounts WHERE Day = $d AND AccountKey = $a AND Count <= 0", ("$d", at - at % EventCounters.DayMs), ("$a", accountKey));
        session.Execute("DELETE FROM HourlyErrorCounts WHERE Hour = $h AND AccountKey = $a AND Count <= 0", ("$h", at - at % EventCounters.HourMs), ("$a", accountKey));
        session.Execute("DELETE FROM DailyErrorCounts WHERE Day = $d AND AccountKey = $a AND Count <= 0", ("$d", at - at % EventCounters.DayMs), ("$a", accountKey));
    }

    /// <summary>
    /// Errors per account and code over the days in [<paramref name="from"/>, <paramref name="to"/>), fleet-wide. On SQLite
    /// from the running totals: for each pair (<c>AccountErrorCodes</c>), its first row in the range gives the total before
    /// the range and its last row before <paramref name="to"/> the total through it, two seeks in
    /// <see cref="DashboardDbContext.ErrorsByAccountIndex"/>. A month of a 1,000,000-event file read 46,039 day rows
    /// before; the read no longer grows with the range or with what retention keeps. A pair with no row in the range
    /// is left out. The pairs go in key order, so the seeks move forward through the index (half the time of the pairs'
    /// own order). PostgreSQL sums the range's rows (its hash aggregate needs no order).
    /// </summary>
    public static async Task<List<AccountErrorCountRow>> ErrorsByAccountOverDaysAsync(this DashboardDbContext db, long from, long to, CancellationToken cancellationToken)
    {
        if (db is PostgreSqlDashboardDbContext)
            return await db.DailyErrorCounts.Where(c => c.Day >= from && c.Day < to)
                .GroupBy(c => new { c.AccountKey, c.ErrorCode })
                .Select(g => new AccountErrorCountRow { AccountKey = g.Key.AccountKey, ErrorCode = g.Key.ErrorCode, Count = g.Sum(c => c.Count) })
                .ToListAsync(cancellationToken);
        var pairs = await db.Database.SqlQueryRaw<PairRunningTotals>(ErrorsByAccountOverDaysSql, from, to).ToListAsync(cancellationToken);
        var rows = new List<AccountErrorCountRow>(pairs.Count);
        foreach (var pair in pairs)
            if (pair.Before is { } before && pair.Through is { } through)
                rows.Add(new AccountErrorCountRow { AccountKey = pair.AccountKey, ErrorCode = pair.ErrorCode, Count = through - before });
        return rows;
    }

    internal const string ErrorsByAccountOverDaysSql =
        $$"""
        SELECT p.AccountKey, p.ErrorCode,
            (SELECT d.RunningCount - d.Count FROM DailyErrorCounts d INDEXED BY {{DashboardDbContext.ErrorsByAccountIndex}}
             WHERE d.AccountKey = p.AccountKey AND d.ErrorCode = p.ErrorCode AND d.Day >= {0} AND d.Day < {1} ORDER BY d.Day LIMIT 1) AS Before,
            (SELECT d.RunningCount FROM DailyErrorCounts d INDEXED BY {{DashboardDbContext.ErrorsByAccountIndex}}
             WHERE d.AccountKey = p.AccountKey AND d.ErrorCode = p.ErrorCode AND d.Day < {1} ORDER BY d.Day DESC LIMIT 1) AS Through
        FROM AccountErrorCodes p ORDER BY p.AccountKey, p.ErrorCode
        """;

    /// <summary>One pair's running totals at a range's ends: before its first row in the range (null with none), and through its last row.</summary>
    internal sealed class PairRunningTotals
    {
        public string AccountKey { get; init; } = "";
        public string ErrorCode { get; init; } = "";
        public long? Before { get; init; }
        public long? Through { get; init; }
    }

    public static void AddRejections(this WriteSession session, long at, string reason, long count) => session.Execute(
        """
        INSERT INTO RejectedDeliveryCounts (Hour, Reason, Count) VALUES ($h, $r, $n)
        ON CONFLICT (Hour, Reason) DO UPDATE SET Count = RejectedDeliveryCounts.Count + excluded.Count
        """,
        ("$h", at - at % EventCounters.HourMs), ("$r", reason), ("$n", count));
}

internal enum CounterTable : byte
{
    Hourly,
    Daily,
    DailyError,
    DailyCode,
    HourlyError,
    HourlyCode,
}

/// <summary>Counter rows in one fixed order (table, bucket, then the text keys ordinally).</summary>
internal sealed class CounterKeyOrder : IComparer<CounterKey>
{
    public static readonly CounterKeyOrder Instance = new();

    public int Compare(CounterKey x, CounterKey y)
    {
        var c = x.Table.CompareTo(y.Table);
        if (c == 0) c = x.Bucket.CompareTo(y.Bucket);
        if (c == 0) c = string.CompareOrdinal(x.AccountKey, y.AccountKey);
        if (c == 0) c = string.CompareOrdinal(x.EventType, y.EventType);
        if (c == 0) c = string.CompareOrdinal(x.ErrorCode, y.ErrorCode);
        return c;
    }
}

/// <summary>One counter row's key; the error code is "" for none (and the account key "" for no account or the per-code total).</summary>
internal readonly record struct CounterKey(CounterTable Table, long Bucket, string AccountKey, string EventType, string ErrorCode);
