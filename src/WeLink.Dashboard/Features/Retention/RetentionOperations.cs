using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Retention;

/// <summary>A delete of at most <c>batch</c> rows older than the cut-off; answers how many went.</summary>
internal abstract class BatchedDelete(long cutoff, int batch) : WriteOperation
{
    protected long Cutoff { get; } = cutoff;
    protected int Batch { get; } = batch;

    /// <summary>The same delete for the next batch.</summary>
    public abstract BatchedDelete Next();
}

/// <summary>Oldest events first, and each account's event count down by its deleted events.</summary>
internal sealed class DeleteExpiredEvents(long cutoff, int batch) : BatchedDelete(cutoff, batch)
{
    // Both statements pick the same rows: the ReceivedAt index orders by (ReceivedAt, Id).
    private const string Oldest = "SELECT Id, AccountId FROM Events WHERE ReceivedAt < $cut ORDER BY ReceivedAt, Id LIMIT $n";

    public override BatchedDelete Next() => new DeleteExpiredEvents(Cutoff, Batch);

    public override object? Apply(WriteSession session)
    {
        session.Execute(
            $"""
            UPDATE Accounts SET EventCount = MAX(0, EventCount - d.n)
            FROM (SELECT AccountId, COUNT(*) AS n FROM ({Oldest}) WHERE AccountId IS NOT NULL GROUP BY AccountId) AS d
            WHERE Accounts.AccountId = d.AccountId
            """,
            ("$cut", Cutoff), ("$n", Batch));
        session.Execute($"DELETE FROM EventSearch WHERE rowid IN (SELECT Id FROM ({Oldest}))", ("$cut", Cutoff), ("$n", Batch));
        return session.Execute($"DELETE FROM Events WHERE Id IN (SELECT Id FROM ({Oldest}))", ("$cut", Cutoff), ("$n", Batch));
    }
}

/// <param name="Table">The table.</param>
/// <param name="TimeColumn">Its Unix-millisecond time column (an hour bucket for the counters).</param>
/// <param name="Keep">An extra condition a row must meet to be deleted, or empty.</param>
internal sealed record ExpiredRows(string Table, string TimeColumn, string Keep = "")
{
    public static readonly ExpiredRows[] Tables =
    [
        new("HourlyEventCounts", "Hour"),
        // A day goes once all of it is past the cut-off (its last millisecond is before it).
        new("DailyEventCounts", "Day + 86399999"),
        new("DailyErrorCounts", "Day + 86399999"),
        new("RejectedDeliveryCounts", "Hour"),
        new("AccountStateChanges", "At"),
        new("PinSubmissions", "SubmittedAt"),
        // The PIN request an account still shows as pending stays with the account.
        new("PinRequests", "RequestedAt",
            "AND RequestId NOT IN (SELECT PendingPinRequestId FROM Accounts WHERE PendingPinRequestId IS NOT NULL)"),
        new("Requests", "CreatedAt"),
    ];
}

internal sealed class DeleteExpiredRows(ExpiredRows rows, long cutoff, int batch) : BatchedDelete(cutoff, batch)
{
    public override BatchedDelete Next() => new DeleteExpiredRows(rows, Cutoff, Batch);

    public override object? Apply(WriteSession session) =>
        session.Execute(
            $"DELETE FROM {rows.Table} WHERE rowid IN (SELECT rowid FROM {rows.Table} WHERE {rows.TimeColumn} < $cut {rows.Keep} LIMIT $n)",
            ("$cut", Cutoff), ("$n", Batch));
}

/// <summary>Hands up to <c>pages</c> free pages back to the file system; answers (freed, still free).</summary>
internal sealed class ReclaimFreePages(int pages) : WriteOperation
{
    public override object? Apply(WriteSession session)
    {
        var before = session.Scalar<long>("PRAGMA freelist_count");
        if (before > 0) session.Execute($"PRAGMA incremental_vacuum({pages})");
        var after = session.Scalar<long>("PRAGMA freelist_count");
        return (before - after, after);
    }
}
