using WeLink.Dashboard.Data;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Pins;

public enum ClaimResult
{
    Claimed,
    NotFound,
    NeedsAccount,
    AlreadySubmitted,
    Resolved,
    Expired,
}

/// <summary>
/// Marks a pending PIN request as submitted, atomically: of two operators (or two clicks) only
/// one gets <see cref="ClaimResult.Claimed"/>. Records the account chosen for a request that had none.
/// </summary>
public sealed class ClaimPinRequest(string requestId, string? accountOverride, string submittedBy) : WriteOperation
{
    public override object? Apply(WriteSession session)
    {
        var now = session.NowMs;
        using (var reader = session.Command("SELECT Status, ExpiresAt, AccountId FROM PinRequests WHERE RequestId = $r", ("$r", requestId)).ExecuteReader())
        {
            if (!reader.Read()) return (ClaimResult.NotFound, (string?)null);
            var status = Enum.Parse<PinRequestStatus>(reader.GetString(0));
            var expired = reader.GetInt64(1) <= now;
            var account = reader.IsDBNull(2) ? null : reader.GetString(2);
            if (status == PinRequestStatus.Submitted) return (ClaimResult.AlreadySubmitted, account);
            if (status is PinRequestStatus.Succeeded or PinRequestStatus.Failed) return (ClaimResult.Resolved, account);
            if (status == PinRequestStatus.Expired || expired) return (ClaimResult.Expired, account);
            if (account is null && accountOverride is null) return (ClaimResult.NeedsAccount, (string?)null);
        }

        var accountId = session.Scalar<string>(
            """
            UPDATE PinRequests SET Status = 'Submitted', SubmittedAt = $now, SubmittedBy = $by, AccountId = COALESCE(AccountId, $a)
            WHERE RequestId = $r RETURNING AccountId
            """,
            ("$now", now), ("$by", submittedBy), ("$a", accountOverride), ("$r", requestId))!;
        // The outcome webhook carries no account: make sure it correlates to this one.
        session.Execute(
            """
            INSERT INTO Requests (RequestId, AccountId, Action, Source, CreatedAt) VALUES ($r, $a, $action, 'Dashboard', $now)
            ON CONFLICT (RequestId) DO UPDATE SET AccountId = COALESCE(Requests.AccountId, excluded.AccountId), Action = excluded.Action
            """,
            ("$r", requestId), ("$a", accountId), ("$action", RequestActions.Login), ("$now", now));
        session.Publish(new LiveChange(LiveChangeKind.PinsChanged, AccountId: accountId));
        return (ClaimResult.Claimed, (string?)accountId);
    }
}

/// <summary>Records how a PIN submission to We-Link went. Never the PIN itself.</summary>
public sealed class RecordPinSubmission(string requestId, string accountId, string submittedBy, bool sent, string? detail) : WriteOperation
{
    public override object? Apply(WriteSession session)
    {
        var now = session.NowMs;
        var status = session.Scalar<string>("SELECT Status FROM PinRequests WHERE RequestId = $r", ("$r", requestId));
        PinSubmissionOutcome outcome;
        if (!sent)
        {
            outcome = PinSubmissionOutcome.Failed;
            // We-Link did not take the PIN: the request is open again for a retry.
            session.Execute(
                "UPDATE PinRequests SET Status = 'Pending', SubmittedAt = NULL, SubmittedBy = NULL WHERE RequestId = $r AND Status = 'Submitted'",
                ("$r", requestId));
        }
        else
        {
            // The outcome webhook may already have landed while We-Link was answering.
            outcome = status switch
            {
                nameof(PinRequestStatus.Succeeded) => PinSubmissionOutcome.Succeeded,
                nameof(PinRequestStatus.Failed) => PinSubmissionOutcome.LoginFailed,
                _ => PinSubmissionOutcome.Sent,
            };
            if (outcome == PinSubmissionOutcome.Sent)
            {
                var changed = session.Execute(
                    """
                    UPDATE Accounts SET LoginState = 'PinSubmitted', StateChangedAt = $now
                    WHERE AccountId = $a AND LoginState IN ('PinRequired', 'PinExpired', 'Unknown')
                    """,
                    ("$now", now), ("$a", accountId));
                if (changed > 0)
                {
                    session.Execute(
                        "INSERT INTO AccountStateChanges (AccountId, State, ErrorCode, At, EventId) VALUES ($a, 'PinSubmitted', NULL, $now, NULL)",
                        ("$a", accountId), ("$now", now));
                }
            }
        }

        session.Execute(
            """
            INSERT INTO PinSubmissions (RequestId, AccountId, SubmittedBy, SubmittedAt, Outcome, Detail)
            VALUES ($r, $a, $by, $now, $o, $d)
            """,
            ("$r", requestId), ("$a", accountId), ("$by", submittedBy), ("$now", now), ("$o", outcome.ToString()), ("$d", detail));
        session.Publish(new LiveChange(LiveChangeKind.PinsChanged, AccountId: accountId));
        session.Publish(new LiveChange(LiveChangeKind.AccountsChanged, AccountId: accountId));
        return outcome;
    }
}

/// <summary>Moves PIN requests past their expiry to the history, and their accounts to PinExpired.</summary>
public sealed class ExpirePinRequests : WriteOperation
{
    public override object? Apply(WriteSession session)
    {
        var now = session.NowMs;
        var expired = new List<(string RequestId, string? AccountId)>();
        using (var reader = session.Command(
            "UPDATE PinRequests SET Status = 'Expired', ResolvedAt = $now WHERE Status IN ('Pending', 'Submitted') AND ExpiresAt <= $now RETURNING RequestId, AccountId",
            ("$now", now)).ExecuteReader())
        {
            while (reader.Read()) expired.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        foreach (var (requestId, accountId) in expired)
        {
            if (accountId is null) continue;
            var changed = session.Execute(
                """
                UPDATE Accounts SET LoginState = 'PinExpired', StateChangedAt = $now
                WHERE AccountId = $a AND PendingPinRequestId = $r AND LoginState IN ('PinRequired', 'PinSubmitted')
                """,
                ("$now", now), ("$a", accountId), ("$r", requestId));
            if (changed > 0)
            {
                session.Execute(
                    "INSERT INTO AccountStateChanges (AccountId, State, ErrorCode, At, EventId) VALUES ($a, 'PinExpired', NULL, $now, NULL)",
                    ("$a", accountId), ("$now", now));
                session.Publish(new LiveChange(LiveChangeKind.AccountsChanged, AccountId: accountId));
            }
        }
        if (expired.Count > 0) session.Publish(new LiveChange(LiveChangeKind.PinsChanged));
        return expired.Count;
    }
}
