namespace WeLink.Dashboard.Data.Sql;

/// <summary>An operator as the writer reads it.</summary>
public sealed record OperatorRow(string UserName, string Role, bool Disabled);

/// <summary>Statements on <c>Operators</c> and <c>SignIns</c>.</summary>
internal static class OperatorSql
{
    public static bool OperatorNameTaken(this WriteSession session, string userName) =>
        session.Scalar<long>("SELECT COUNT(*) FROM Operators WHERE UserName = $u", ("$u", userName)) > 0;

    public static bool AnyOperator(this WriteSession session) => session.Scalar<long>("SELECT COUNT(*) FROM Operators") > 0;

    public static bool IsEnabledOperator(this WriteSession session, long operatorId) =>
        session.Scalar<long>("SELECT COUNT(*) FROM Operators WHERE Id = $id AND Disabled = FALSE", ("$id", operatorId)) > 0;

    public static OperatorRow? FindOperator(this WriteSession session, long operatorId) => session.Row(
        "SELECT UserName, Role, Disabled FROM Operators WHERE Id = $id",
        r => new OperatorRow(r.GetString(0), r.GetString(1), r.GetBoolean(2)), ("$id", operatorId));

    private static readonly DialectSql CountOtherEnabledSql = new(d =>
        $"SELECT COUNT(*) FILTER (WHERE o.Id <> $id) FROM (SELECT Id FROM Operators WHERE Role = $role AND Disabled = FALSE ORDER BY Id{d.ForUpdate}) AS o");

    /// <summary>
    /// Enabled operators with <paramref name="role"/> other than <paramref name="operatorId"/>. On PostgreSQL
    /// every such operator (this one too) is locked in id order until the batch commits, so two instances
    /// demoting the last two admins at once see each other's change: the second finds no other admin. (The
    /// condition on this operator stays outside the locking query so that it cannot narrow what is locked.)
    /// </summary>
    public static long CountOtherEnabled(this WriteSession session, string role, long operatorId) =>
        session.Scalar<long>(CountOtherEnabledSql.For(session.Dialect), ("$role", role), ("$id", operatorId));

    public static void InsertOperator(this WriteSession session, string userName, string role, string passwordHash, string securityStamp, long now) =>
        session.Execute(
            """
            INSERT INTO Operators (UserName, PasswordHash, Role, Disabled, SecurityStamp, CreatedAt, FailedSignIns)
            VALUES ($u, $hash, $role, FALSE, $stamp, $now, 0)
            """,
            ("$u", userName), ("$hash", passwordHash), ("$role", role), ("$stamp", securityStamp), ("$now", now));

    public static void SetOperatorRole(this WriteSession session, long operatorId, string role, string securityStamp) =>
        session.Execute("UPDATE Operators SET Role = $role, SecurityStamp = $stamp WHERE Id = $id", ("$role", role), ("$stamp", securityStamp), ("$id", operatorId));

    public static void SetOperatorDisabled(this WriteSession session, long operatorId, bool disabled, string securityStamp) =>
        session.Execute("UPDATE Operators SET Disabled = $d, SecurityStamp = $stamp WHERE Id = $id", ("$d", disabled), ("$stamp", securityStamp), ("$id", operatorId));

    /// <summary>A new password hash; also lifts a lock-out.</summary>
    public static void SetOperatorPassword(this WriteSession session, long operatorId, string passwordHash, string securityStamp) => session.Execute(
        "UPDATE Operators SET PasswordHash = $hash, SecurityStamp = $stamp, FailedSignIns = 0, LockedUntil = NULL WHERE Id = $id",
        ("$hash", passwordHash), ("$stamp", securityStamp), ("$id", operatorId));

    public static void UnlockOperator(this WriteSession session, long operatorId) =>
        session.Execute("UPDATE Operators SET FailedSignIns = 0, LockedUntil = NULL WHERE Id = $id", ("$id", operatorId));

    /// <summary>Removes the operator and its sign-ins.</summary>
    public static void DeleteOperator(this WriteSession session, long operatorId)
    {
        session.Execute("DELETE FROM SignIns WHERE OperatorId = $id", ("$id", operatorId));
        session.Execute("DELETE FROM Operators WHERE Id = $id", ("$id", operatorId));
    }

    /// <summary>Stamps a sign-in (lifting a lock-out, taking a rehashed password if given).</summary>
    public static void StampSignIn(this WriteSession session, long operatorId, string? rehashedPassword, long now) => session.Execute(
        "UPDATE Operators SET FailedSignIns = 0, LockedUntil = NULL, LastSignInAt = $now, PasswordHash = COALESCE($hash, PasswordHash) WHERE Id = $id",
        ("$now", now), ("$hash", rehashedPassword), ("$id", operatorId));

    public static void DeleteExpiredSignIns(this WriteSession session, long now) =>
        session.Execute("DELETE FROM SignIns WHERE ExpiresAt <= $now", ("$now", now));

    public static void InsertSignIn(this WriteSession session, string signInId, long operatorId, long now, long expiresAt) => session.Execute(
        "INSERT INTO SignIns (Id, OperatorId, CreatedAt, ExpiresAt) VALUES ($s, $id, $now, $exp)",
        ("$s", signInId), ("$id", operatorId), ("$now", now), ("$exp", expiresAt));

    /// <summary>True when the sign-in was still open.</summary>
    public static bool DeleteSignIn(this WriteSession session, string signInId) =>
        session.Execute("DELETE FROM SignIns WHERE Id = $s", ("$s", signInId)) > 0;
}
