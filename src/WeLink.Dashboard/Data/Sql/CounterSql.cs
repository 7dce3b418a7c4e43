namespace WeLink.Dashboard.Data.Sql;

/// <summary>Statements on the counters: <c>HourlyEventCounts</c>, <c>DailyEventCounts</c>, <c>DailyErrorCounts</c>, <c>RejectedDeliveryCounts</c>.</summary>
internal static class CounterSql
{
    /// <summary>Adds <paramref name="delta"/> events at <paramref name="at"/> to the hourly, daily and (with an error) daily error counters.</summary>
    public static void AddEventCounts(this WriteSession session, long at, string accountKey, string eventType, string? errorCode, long delta)
    {
        session.Execute(
            """
            INSERT INTO HourlyEventCounts (Hour, AccountKey, EventType, ErrorCode, Count) VALUES ($h, $a, $t, $e, $n)
            ON CONFLICT (Hour, AccountKey, EventType, ErrorCode) DO UPDATE SET Count = Count + $n
            """,
            ("$h", at - at % EventCounters.HourMs), ("$a", accountKey), ("$t", eventType), ("$e", errorCode ?? ""), ("$n", delta));
        session.Execute(
            """
            INSERT INTO DailyEventCounts (Day, AccountKey, EventType, ErrorCode, Count) VALUES ($d, $a, $t, $e, $n)
            ON CONFLICT (Day, AccountKey, EventType, ErrorCode) DO UPDATE SET Count = Count + $n
            """,
            ("$d", at - at % EventCounters.DayMs), ("$a", accountKey), ("$t", eventType), ("$e", errorCode ?? ""), ("$n", delta));
        if (errorCode is not null)
        {
            session.Execute(
                """
                INSERT INTO DailyErrorCounts (Day, ErrorCode, AccountKey, Count) VALUES ($d, $e, $a, $n)
                ON CONFLICT (Day, ErrorCode, AccountKey) DO UPDATE SET Count = Count + $n
                """,
                ("$d", at - at % EventCounters.DayMs), ("$e", errorCode), ("$a", accountKey), ("$n", delta));
        }
    }

    /// <summary>Drops the account's counter rows around <paramref name="at"/> that a move emptied; they would read as zero-count entries.</summary>
    public static void DeleteEmptyEventCounts(this WriteSession session, long at, string accountKey)
    {
        session.Execute("DELETE FROM HourlyEventCounts WHERE Hour = $h AND AccountKey = $a AND Count <= 0", ("$h", at - at % EventCounters.HourMs), ("$a", accountKey));
        session.Execute("DELETE FROM DailyEventCounts WHERE Day = $d AND AccountKey = $a AND Count <= 0", ("$d", at - at % EventCounters.DayMs), ("$a", accountKey));
        session.Execute("DELETE FROM DailyErrorCounts WHERE Day = $d AND AccountKey = $a AND Count <= 0", ("$d", at - at % EventCounters.DayMs), ("$a", accountKey));
    }

    public static void AddRejections(this WriteSession session, long at, string reason, long count) => session.Execute(
        """
        INSERT INTO RejectedDeliveryCounts (Hour, Reason, Count) VALUES ($h, $r, $n)
        ON CONFLICT (Hour, Reason) DO UPDATE SET Count = Count + excluded.Count
        """,
        ("$h", at - at % EventCounters.HourMs), ("$r", reason), ("$n", count));
}
