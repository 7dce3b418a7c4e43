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
    /// <c>DailyErrorCounts</c> of the days in [<paramref name="from"/>, <paramref name="to"/>), for a grouping by
    /// account and code. SQLite reads them through the covering index in that order
    /// (<see cref="DashboardDbContext.ErrorsByAccountIndex"/>), so the groups stream out of it with no temporary
    /// B-tree; its planner, without statistics, prefers the primary key's day range and sorts every row of the
    /// range (40-60 ms against 6 ms for a month of a 1,000,000-event file). The index must be named for it to be used.
    /// PostgreSQL's hash aggregate needs no order.
    /// </summary>
    public static IQueryable<DailyErrorCount> DailyErrorCountsInAccountOrder(this DashboardDbContext db, long from, long to) =>
        db is PostgreSqlDashboardDbContext
            ? db.DailyErrorCounts.Where(c => c.Day >= from && c.Day < to)
            : db.DailyErrorCounts.FromSqlRaw(DailyErrorCountsInAccountOrderSql, from, to);

    private const string DailyErrorCountsInAccountOrderSql =
        "SELECT * FROM DailyErrorCounts INDEXED BY " + DashboardDbContext.ErrorsByAccountIndex + " WHERE Day >= {0} AND Day < {1}";

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
