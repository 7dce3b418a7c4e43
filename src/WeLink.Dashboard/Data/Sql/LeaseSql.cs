namespace WeLink.Dashboard.Data.Sql;

/// <summary>Statements on <c>JobLeases</c>.</summary>
internal static class LeaseSql
{
    /// <summary>
    /// Takes or renews the lease in one statement: the row is written only when it is missing, is
    /// <paramref name="holder"/>'s own, or has expired; two instances asking at once cannot both get it
    /// (the conflict makes the second wait for the first's row and re-check the condition). True when held.
    /// </summary>
    public static bool TryTakeLease(this WriteSession session, string name, string holder, long now, long expiresAt) => session.Execute(
        """
        INSERT INTO JobLeases (Name, Holder, ExpiresAt) VALUES ($n, $h, $exp)
        ON CONFLICT (Name) DO UPDATE SET Holder = excluded.Holder, ExpiresAt = excluded.ExpiresAt
        WHERE JobLeases.Holder = excluded.Holder OR JobLeases.ExpiresAt <= $now
        """,
        ("$n", name), ("$h", holder), ("$exp", expiresAt), ("$now", now)) == 1;

    /// <summary>Gives up the holder's leases (a graceful stop), so another instance need not wait for them to expire.</summary>
    public static int ReleaseLeases(this WriteSession session, string holder) =>
        session.Execute("DELETE FROM JobLeases WHERE Holder = $h", ("$h", holder));
}
