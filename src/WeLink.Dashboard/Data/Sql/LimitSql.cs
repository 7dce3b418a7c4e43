namespace WeLink.Dashboard.Data.Sql;

/// <summary>A rate-limit window after one take: how many were taken in it (this one too) and when it began.</summary>
public sealed record RateLimitTake(long Count, long WindowStart);

/// <summary>Statements on <c>RateLimitWindows</c> and <c>SignInLockouts</c>: limits that hold across instances.</summary>
internal static class LimitSql
{
    /// <summary>
    /// Counts one take in the bucket's fixed window, in one statement (two instances counting at once both
    /// count): a window that began <paramref name="windowMs"/> or more ago is replaced by one starting now.
    /// </summary>
    public static RateLimitTake TakeFromWindow(this WriteSession session, string bucket, long now, long windowMs) => session.Row(
        """
        INSERT INTO RateLimitWindows (Bucket, WindowStart, Count) VALUES ($b, $now, 1)
        ON CONFLICT (Bucket) DO UPDATE SET
            Count = CASE WHEN RateLimitWindows.WindowStart > $now - $w THEN RateLimitWindows.Count + 1 ELSE 1 END,
            WindowStart = CASE WHEN RateLimitWindows.WindowStart > $now - $w THEN RateLimitWindows.WindowStart ELSE $now END
        RETURNING Count, WindowStart
        """,
        r => new RateLimitTake(r.GetInt64(0), r.GetInt64(1)), ("$b", bucket), ("$now", now), ("$w", windowMs))!;

    private static readonly DialectSql ReadLockoutSql = new(d =>
        $"SELECT FailedSignIns, LockedUntil FROM SignInLockouts WHERE UserName = $u AND Client = $c{d.ForUpdate}");

    /// <summary>The name and client's failures and lock (locked on PostgreSQL until the batch commits, so two instances count one after the other).</summary>
    public static (int FailedSignIns, long? LockedUntil)? ReadLockout(this WriteSession session, string userName, string client)
    {
        var row = session.Row(ReadLockoutSql.For(session.Dialect),
            r => new Tuple<int, long?>(r.GetInt32(0), r.IsDBNull(1) ? null : r.GetInt64(1)), ("$u", userName), ("$c", client));
        return row is null ? null : (row.Item1, row.Item2);
    }

    public static void WriteLockout(this WriteSession session, string userName, string client, int failedSignIns, long? lockedUntil, long now) => session.Execute(
        """
        INSERT INTO SignInLockouts (UserName, Client, FailedSignIns, LockedUntil, UpdatedAt) VALUES ($u, $c, $f, $until, $now)
        ON CONFLICT (UserName, Client) DO UPDATE SET FailedSignIns = excluded.FailedSignIns, LockedUntil = excluded.LockedUntil, UpdatedAt = excluded.UpdatedAt
        """,
        ("$u", userName), ("$c", client), ("$f", failedSignIns), ("$until", lockedUntil), ("$now", now));

    public static int DeleteLockout(this WriteSession session, string userName, string client) =>
        session.Execute("DELETE FROM SignInLockouts WHERE UserName = $u AND Client = $c", ("$u", userName), ("$c", client));

    /// <summary>Every lock and count of the name, from every client (admin unlock, new password).</summary>
    public static int DeleteLockouts(this WriteSession session, string userName) =>
        session.Execute("DELETE FROM SignInLockouts WHERE UserName = $u", ("$u", userName));

    /// <summary>
    /// Drops what no longer limits anyone: windows that ended, locks that ran out (an expired lock is
    /// forgotten anyway) and counts of failures last added before <paramref name="staleBefore"/>.
    /// </summary>
    public static int DeleteExpiredLimits(this WriteSession session, long now, long windowsBefore, long staleBefore) =>
        session.Execute("DELETE FROM RateLimitWindows WHERE WindowStart <= $wb", ("$wb", windowsBefore))
        + session.Execute(
            "DELETE FROM SignInLockouts WHERE (LockedUntil IS NOT NULL AND LockedUntil <= $now) OR (LockedUntil IS NULL AND UpdatedAt <= $stale)",
            ("$now", now), ("$stale", staleBefore));
}
