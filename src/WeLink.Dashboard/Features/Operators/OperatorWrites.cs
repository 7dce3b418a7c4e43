using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
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
public sealed class CreateOperator(string userName, string role, string passwordHash) : WriteOperation<OperatorWriteStatus>
{
    public override OperatorWriteStatus Apply(WriteSession session)
    {
        if (session.OperatorNameTaken(userName)) return OperatorWriteStatus.DuplicateName;
        session.InsertOperator(userName, role, passwordHash, OperatorRows.NewSecurityStamp(), session.NowMs);
        return OperatorWriteStatus.Done;
    }
}

/// <summary>Adds the first admin, only while no operator exists at all; true when it did.</summary>
public sealed class CreateFirstOperator(string userName, string passwordHash) : WriteOperation<bool>
{
    public override bool Apply(WriteSession session)
    {
        if (session.AnyOperator()) return false;
        session.InsertOperator(userName, Roles.Admin, passwordHash, OperatorRows.NewSecurityStamp(), session.NowMs);
        return true;
    }
}

/// <summary>
/// Applies an <see cref="OperatorChange"/>, refusing any that would leave no enabled admin. Runs on
/// the single writer, so two admins demoting each other at once cannot both succeed.
/// Returns the status and the operator's user name.
/// </summary>
public sealed class ChangeOperator(long operatorId, OperatorChange change) : WriteOperation<(OperatorWriteStatus, string?)>
{
    public override (OperatorWriteStatus, string?) Apply(WriteSession session)
    {
        if (session.FindOperator(operatorId) is not var (userName, role, disabled)) return (OperatorWriteStatus.NotFound, null);

        var isEnabledAdmin = role == Roles.Admin && !disabled;
        var staysEnabledAdmin = change switch
        {
            OperatorChange.SetRole r => r.Role == Roles.Admin && !disabled,
            OperatorChange.SetDisabled d => role == Roles.Admin && !d.Disabled,
            OperatorChange.Remove => false,
            _ => isEnabledAdmin,
        };
        if (isEnabledAdmin && !staysEnabledAdmin && session.CountOtherEnabled(Roles.Admin, operatorId) == 0)
            return (OperatorWriteStatus.LastAdmin, userName);

        var stamp = OperatorRows.NewSecurityStamp();
        switch (change)
        {
            case OperatorChange.SetRole r when r.Role != role:
                session.SetOperatorRole(operatorId, r.Role, stamp);
                break;
            case OperatorChange.SetDisabled d when d.Disabled != disabled:
                session.SetOperatorDisabled(operatorId, d.Disabled, stamp);
                break;
            case OperatorChange.SetPassword p:
                session.SetOperatorPassword(operatorId, p.PasswordHash, stamp);
                break;
            case OperatorChange.Unlock:
                session.UnlockOperator(operatorId);
                break;
            case OperatorChange.Remove:
                session.DeleteOperator(operatorId);
                break;
        }
        return (OperatorWriteStatus.Done, userName);
    }
}

/// <summary>
/// Records a sign-in whose password was already checked: stamps it (rehashing when asked) and opens a
/// sign-in record ending at <paramref name="expiresAt"/>; expired records are swept on the way. Returns the
/// record's id, or null when the operator is gone or disabled since the caller looked.
/// </summary>
public sealed class RecordSignIn(long operatorId, string? rehashedPassword, string signInId, long expiresAt) : WriteOperation<string?>
{
    public override string? Apply(WriteSession session)
    {
        var now = session.NowMs;
        if (!session.IsEnabledOperator(operatorId)) return null;
        session.DeleteExpiredSignIns(now);
        session.StampSignIn(operatorId, rehashedPassword, now);
        session.InsertSignIn(signInId, operatorId, now, expiresAt);
        return signInId;
    }
}

/// <summary>Ends one sign-in (sign-out); true when it was still open.</summary>
public sealed class EndSignIn(string signInId) : WriteOperation<bool>
{
    public override bool Apply(WriteSession session) => session.DeleteSignIn(signInId);
}

internal static class OperatorRows
{
    public static string NewSecurityStamp() => Guid.NewGuid().ToString("N");
}
