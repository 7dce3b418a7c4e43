namespace WeLink.Dashboard.Data.Sql;

/// <summary>Retention's batched deletes and the hand-back of free pages.</summary>
internal static class RetentionSql
{
    // Both statements pick the same rows: the ReceivedAt index orders by (ReceivedAt, Id).
    private const string OldestEvents = "SELECT Id, AccountId FROM Events WHERE ReceivedAt < $cut ORDER BY ReceivedAt, Id LIMIT $n";

    /// <summary>
    /// The tables retention trims besides the log, with each one's time column, what must stay, and for SQLite's WITHOUT
    /// ROWID counters (see the CountersWithoutRowId migration) the key a batch's rows are named by, as they have no rowid.
    /// </summary>
    private static readonly Dictionary<ExpiringTable, (string Table, string TimeColumn, string Keep, string? Key)> Tables = new()
    {
        [ExpiringTable.HourlyEventCounts] = ("HourlyEventCounts", "Hour", "", "Hour, AccountKey, EventType, ErrorCode"),
        [ExpiringTable.HourlyErrorCounts] = ("HourlyErrorCounts", "Hour", "", "Hour, ErrorCode, AccountKey"),
        [ExpiringTable.HourlyCodeTotals] = ("HourlyCodeTotals", "Hour", "", "Hour, ErrorCode"),
        // A day goes once all of it is past the cut-off (its last millisecond is before it: see DayLasts).
        [ExpiringTable.DailyEventCounts] = ("DailyEventCounts", "Day", "", "Day, EventType, AccountKey, ErrorCode"),
        [ExpiringTable.DailyErrorCounts] = ("DailyErrorCounts", "Day", "", "Day, ErrorCode, AccountKey"),
        [ExpiringTable.DailyCodeTotals] = ("DailyCodeTotals", "Day", "", "Day, ErrorCode"),
        [ExpiringTable.RejectedDeliveryCounts] = ("RejectedDeliveryCounts", "Hour", "", null),
        [ExpiringTable.AccountStateChanges] = ("AccountStateChanges", "At", "", null),
        [ExpiringTable.PinSubmissions] = ("PinSubmissions", "SubmittedAt", "", null),
        // The PIN request an account still shows as pending stays with the account.
        [ExpiringTable.PinRequests] = ("PinRequests", "RequestedAt",
            "AND RequestId NOT IN (SELECT PendingPinRequestId FROM Accounts WHERE PendingPinRequestId IS NOT NULL)", null),
        [ExpiringTable.Requests] = ("Requests", "CreatedAt", "", null),
        // A call older than the cut-off is far outside the rolling hour its budget looks at.
        [ExpiringTable.GatewayCalls] = ("GatewayCalls", "At", "", null),
        // Alerts go leaves first. A delivery still pending is never dropped, whatever its age (a channel
        // down longer than the retention still gets it); a message goes once it has no delivery left and
        // was fanned out; an alert once it is resolved and has no message left. An open alert stays.
        [ExpiringTable.AlertDeliveries] = ("AlertDeliveries", "CreatedAt", $"AND Status <> '{nameof(AlertDeliveryStatus.Pending)}'", null),
        [ExpiringTable.AlertMessages] = ("AlertMessages", "At",
            "AND DispatchedAt IS NOT NULL AND NOT EXISTS (SELECT 1 FROM AlertDeliveries d WHERE d.MessageId = AlertMessages.Id)", null),
        [ExpiringTable.Alerts] = ("Alerts", "ResolvedAt", "AND NOT EXISTS (SELECT 1 FROM AlertMessages m WHERE m.AlertId = Alerts.Id)", null),
        [ExpiringTable.AlertRejectionCounts] = ("AlertRejectionCounts", "Minute", "", null),
    };

    /// <summary>Deletes the oldest events (at most <paramref name="batch"/>) and their share of each account's event count, and lists them for the search index to forget.</summary>
    public static int DeleteOldestEvents(this WriteSession session, long cutoff, int batch)
    {
        if (!session.Dialect.IsSqlite)
        {
            // One statement: the accounts lose exactly the events this statement deleted, so two instances
            // trimming at once cannot both count the same event off (the second waits on the rows, finds them gone).
            return session.Scalar<int>(
                """
                WITH gone AS (
                    DELETE FROM Events WHERE Id IN (SELECT Id FROM Events WHERE ReceivedAt < $cut ORDER BY ReceivedAt, Id LIMIT $n FOR UPDATE)
                    RETURNING AccountId),
                counted AS (
                    UPDATE Accounts SET EventCount = GREATEST(0, EventCount - d.n)
                    FROM (SELECT AccountId, COUNT(*) AS n FROM gone WHERE AccountId IS NOT NULL GROUP BY AccountId) AS d
                    WHERE Accounts.AccountId = d.AccountId
                    RETURNING 1)
                SELECT COUNT(*) FROM gone
                """,
                ("$cut", cutoff), ("$n", batch));
        }
        session.Execute(
            $"""
            UPDATE Accounts SET EventCount = MAX(0, EventCount - d.n)
            FROM (SELECT AccountId, COUNT(*) AS n FROM ({OldestEvents}) WHERE AccountId IS NOT NULL GROUP BY AccountId) AS d
            WHERE Accounts.AccountId = d.AccountId
            """,
            ("$cut", cutoff), ("$n", batch));
        // The search index is in its own file, written by its own indexer: it takes these out after this commit.
        session.Execute($"INSERT OR IGNORE INTO EventSearchDeletions (Id) SELECT Id FROM ({OldestEvents})", ("$cut", cutoff), ("$n", batch));
        return session.Execute($"DELETE FROM Events WHERE Id IN (SELECT Id FROM ({OldestEvents}))", ("$cut", cutoff), ("$n", batch));
    }

    /// <summary>The milliseconds a day's bucket covers after its start: it expires once the last of them is before the cut-off.</summary>
    private const long DayLasts = EventCounters.DayMs - 1;

    /// <summary>Deletes at most <paramref name="batch"/> rows of <paramref name="table"/> older than the cut-off.</summary>
    public static int DeleteExpiredRows(this WriteSession session, ExpiringTable table, long cutoff, int batch)
    {
        var (name, time, keep, key) = Tables[table];
        // Counts a batch summed in memory go to their rows first, so a whole day goes with all of it.
        CounterSql.WritePendingCounts(session);
        if (time == "Day") cutoff -= DayLasts;
        if (key is not null && session.Dialect.IsSqlite)
        {
            // A WITHOUT ROWID counter (no rowid to name a batch by; counters keep nothing past the cut-off): its key
            // starts with the time column, so the batch is every row up to the n-th expired one's key, a range at the
            // key's start. Fewer than n left: all of them.
            var batchEnd = $"(SELECT {key} FROM {name} WHERE {time} < $cut ORDER BY {key} LIMIT 1 OFFSET $n - 1)";
            var deleted = session.Execute($"DELETE FROM {name} WHERE ({key}) <= {batchEnd}", ("$cut", cutoff), ("$n", batch));
            return deleted > 0 ? deleted : session.Execute($"DELETE FROM {name} WHERE {time} < $cut", ("$cut", cutoff));
        }
        return session.Execute(
            session.Dialect.IsSqlite
                ? $"DELETE FROM {name} WHERE rowid IN (SELECT rowid FROM {name} WHERE {time} < $cut {keep} LIMIT $n)"
                // PostgreSQL: a batch by physical row address (the counter tables have no id column), looked up by TID.
                : $"DELETE FROM {name} WHERE ctid = ANY (ARRAY(SELECT ctid FROM {name} WHERE {time} < $cut {keep} LIMIT $n))",
            ("$cut", cutoff), ("$n", batch));
    }

    /// <summary>Hands up to <paramref name="pages"/> free pages back to the file system; answers (freed, still free).</summary>
    public static (long Freed, long Left) ReclaimFreePages(this WriteSession session, int pages)
    {
        // PostgreSQL's autovacuum reuses freed space; there is nothing to hand back by hand.
        if (!session.Dialect.IsSqlite) return (0, 0);
        var before = session.Scalar<long>("PRAGMA freelist_count");
        if (before > 0) session.Execute($"PRAGMA incremental_vacuum({pages})");
        var after = session.Scalar<long>("PRAGMA freelist_count");
        return (before - after, after);
    }
}

/// <summary>The tables retention trims besides the event log.</summary>
public enum ExpiringTable
{
    HourlyEventCounts,
    HourlyErrorCounts,
    HourlyCodeTotals,
    DailyEventCounts,
    DailyErrorCounts,
    DailyCodeTotals,
    RejectedDeliveryCounts,
    AccountStateChanges,
    PinSubmissions,
    PinRequests,
    Requests,
    GatewayCalls,
    // In this order: an alert's deliveries, then its messages, then the alert.
    AlertDeliveries,
    AlertMessages,
    Alerts,
    AlertRejectionCounts,
}
