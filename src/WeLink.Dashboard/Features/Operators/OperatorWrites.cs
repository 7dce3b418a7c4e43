using WeLink.Dashboard.Data;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Operators;

public enum OperatorWriteStatus
{
    Done,
    NotFound,
    DuplicateName,
    /// <summary>The change would leave no enabled admin.</summary>
    LastAdmin,
}

/// <summary>A change to one operator. Role, status and password changes end that operator's other sessions.</summary>
public abstract record OperatorChange
{
    public sealed record SetRole(string Role) : OperatorChange;
    public sealed record SetDisabled(bool Disabled) : OperatorChange;
    /// <summary>A new password (already hashed); also lifts a lock-out.</summary>
    public sealed record SetPassword(string PasswordHash) : OperatorChange;
    public sealed record Unlock : OperatorChange;
    public sealed record Remove : OperatorChange;
}

/// <summary>Adds an operator; user names are unique regardless of case.</summary>
public sealed class CreateOperator(string userName, string role, string passwordHash) : WriteOperation
{
    public override object? Apply(WriteSession session)
    {
        if (session.Scalar<long>("SELECT COUNT(*) FROM Operators WHERE UserName = $u", ("$u", userName)) > 0)
            return OperatorWriteStatus.DuplicateName;
        OperatorRows.Insert(session, userName, role, passwordHash);
        return OperatorWriteStatus.Done;
    }
}

/// <summary>Adds the first admin, only while no operator exists at all; true when it did.</summary>
public sealed class CreateFirstOperator(string userName, string passwordHash) : WriteOperation
{
    public override object? Apply(WriteSession session)
    {
        if (session.Scalar<long>("SELECT COUNT(*) FROM Operators") > 0) return false;
        OperatorRows.Insert(session, userName, Roles.Admin, passwordHash);
        return true;
    }
}

/// <summary>
/// Applies an <see cref="OperatorChange"/>, refusing any that would leave no enabled admin. Runs on
/// the single writer, so two admins demoting each other at once cannot both succeed.
/// Returns the status and the operator's user name.
/// </summary>
public sealed class ChangeOperator(long operatorId, OperatorChange change) : WriteOperation
{
    public override object? Apply(WriteSession session)
    {
        string userName, role;
        bool disabled;
        using (var reader = session.Command("SELECT UserName, Role, Disabled FROM Operators WHERE Id = $id", ("$id", operatorId)).ExecuteReader())
        {
            if (!reader.Read()) return (OperatorWriteStatus.NotFound, (string?)null);
            userName = reader.GetString(0);
            role = reader.GetString(1);
            disabled = reader.GetBoolean(2);
        }

        var isEnabledAdmin = role == Roles.Admin && !disabled;
        var staysEnabledAdmin = change switch
        {
            OperatorChange.SetRole r => r.Role == Roles.Admin && !disabled,
            OperatorChange.SetDisabled d => role == Roles.Admin && !d.Disabled,
            OperatorChange.Remove => false,
            _ => isEnabledAdmin,
        };
        if (isEnabledAdmin && !staysEnabledAdmin
            && session.Scalar<long>("SELECT COUNT(*) FROM Operators WHERE Role = $admin AND Disabled = 0 AND Id <> $id",
                ("$admin", Roles.Admin), ("$id", operatorId)) == 0)
            return (OperatorWriteStatus.LastAdmin, (string?)userName);

        var stamp = OperatorRows.NewSecurityStamp();
        switch (change)
        {
            case OperatorChange.SetRole r when r.Role != role:
                session.Execute("UPDATE Operators SET Role = $role, SecurityStamp = $stamp WHERE Id = $id", ("$role", r.Role), ("$stamp", stamp), ("$id", operatorId));
                break;
            case OperatorChange.SetDisabled d when d.Disabled != disabled:
                session.Execute("UPDATE Operators SET Disabled = $d, SecurityStamp = $stamp WHERE Id = $id", ("$d", d.Disabled), ("$stamp", stamp), ("$id", operatorId));
                break;
            case OperatorChange.SetPassword p:
                session.Execute(
                    "UPDATE Operators SET PasswordHash = $hash, SecurityStamp = $stamp, FailedSignIns = 0, LockedUntil = NULL WHERE Id = $id",
                    ("$hash", p.PasswordHash), ("$stamp", stamp), ("$id", operatorId));
                break;
            case OperatorChange.Unlock:
                session.Execute("UPDATE Operators SET FailedSignIns = 0, LockedUntil = NULL WHERE Id = $id", ("$id", operatorId));
                break;
            case OperatorChange.Remove:
                session.Execute("DELETE FROM SignIns WHERE OperatorId = $id", ("$id", operatorId));
                session.Execute("DELETE FROM Operators WHERE Id = $id", ("$id", operatorId));
                break;
        }
        return (OperatorWriteStatus.Done, (string?)userName);
    }
}

/// <summary>
/// Records a sign-in whose password was already checked: stamps it (rehashing when asked) and opens a
/// sign-in record ending at <paramref name="expiresAt"/>; expired records are swept on the way. Returns the
/// record's id, or null when the operator is gone or disabled since the caller looked.
/// </summary>
public sealed class RecordSignIn(long operatorId, string? rehashedPassword, string signInId, long expiresAt) : WriteOperation
{
    public override object? Apply(WriteSession session)
    {
        var now = session.NowMs;
        if (session.Scalar<long>("SELECT COUNT(*) FROM Operators WHERE Id = $id AND Disabled = 0", ("$id", operatorId)) == 0) return null;
        session.Execute("DELETE FROM SignIns WHERE ExpiresAt <= $now", ("$now", now));
        session.Execute(
            "UPDATE Operators SET FailedSignIns = 0, LockedUntil = NULL, LastSignInAt = $now, PasswordHash = COALESCE($hash, PasswordHash) WHERE Id = $id",
            ("$now", now), ("$hash", rehashedPassword), ("$id", operatorId));
        session.Execute("INSERT INTO SignIns (Id, OperatorId, CreatedAt, ExpiresAt) VALUES ($s, $id, $now, $exp)",
            ("$s", signInId), ("$id", operatorId), ("$now", now), ("$exp", expiresAt));
        return signInId;
    }
}

/// <summary>Ends one sign-in (sign-out); true when it was still open.</summary>
public sealed class EndSignIn(string signInId) : WriteOperation
{
    public override object? Apply(WriteSession session) =>
        session.Execute("DELETE FROM SignIns WHERE Id = $s", ("$s", signInId)) > 0;
}

internal static class OperatorRows
{
    public static string NewSecurityStamp() => Guid.NewGuid().ToString("N");

    public static void Insert(WriteSession session, string userName, string role, string passwordHash) => session.Execute(
        """
        INSERT INTO Operators (UserName, PasswordHash, Role, Disabled, SecurityStamp, CreatedAt, FailedSignIns)
        VALUES ($u, $hash, $role, 0, $stamp, $now, 0)
        """,
        ("$u", userName), ("$hash", passwordHash), ("$role", role), ("$stamp", NewSecurityStamp()), ("$now", session.NowMs));
}
