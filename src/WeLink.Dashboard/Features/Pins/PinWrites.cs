using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Pins;

public enum ClaimResult
{
    Claimed,
    NotFound,
    NeedsAccount,
    /// <summary>The login's e-mail is not in We-Link's account list yet: its account id, which <c>login_code</c> needs, is unknown.</summary>
    AccountNotYetKnown,
    AlreadySubmitted,
    Resolved,
    Expired,
}

/// <summary>
/// Marks a pending PIN request as submitted, atomically: of two operators (or two clicks) only
/// one gets <see cref="ClaimResult.Claimed"/>. Records the account chosen for a request that had none.
/// </summary>
public sealed class ClaimPinRequest(string requestId, string? accountOverride, string submittedBy) : WriteOperation<(ClaimResult, string?)>
{
    public override (ClaimResult, string?) Apply(WriteSession session)
    {
        var now = session.NowMs;
        if (session.FindPinRequest(requestId) is not { } request) return (ClaimResult.NotFound, null);
        if (request.Status == PinRequestStatus.Submitted) return (ClaimResult.AlreadySubmitted, request.AccountId);
        if (request.Status is PinRequestStatus.Succeeded or PinRequestStatus.Failed) return (ClaimResult.Resolved, request.AccountId);
        if (request.Status == PinRequestStatus.Expired || request.ExpiresAt <= now) return (ClaimResult.Expired, request.AccountId);
        // A gateway login whose e-mail stands in for the account: only We-Link's list can name the
        // account, and a guessed one would send the PIN to another login.
        if (request.AccountId is null && session.PendingEmailOf(requestId) is not null) return (ClaimResult.AccountNotYetKnown, null);
        if (request.AccountId is null && accountOverride is null) return (ClaimResult.NeedsAccount, null);

        var accountId = session.MarkPinSubmitted(requestId, accountOverride, submittedBy, now);
        // The outcome webhook carries no account: make sure it correlates to this one.
        session.UpsertDashboardRequest(requestId, accountId, RequestActions.Login, now);
        session.Publish(new LiveChange(LiveChangeKind.PinsChanged, AccountId: accountId));
        return (ClaimResult.Claimed, accountId);
    }
}

/// <summary>Records how a PIN submission to We-Link went. Never the PIN itself.</summary>
public sealed class RecordPinSubmission(string requestId, string accountId, string submittedBy, bool sent, string? detail) : WriteOperation<PinSubmissionOutcome>
{
    public override PinSubmissionOutcome Apply(WriteSession session)
    {
        var now = session.NowMs;
        var status = session.PinRequestStatusOf(requestId);
        PinSubmissionOutcome outcome;
        if (!sent)
        {
            outcome = PinSubmissionOutcome.Failed;
            // We-Link did not take the PIN: the request is open again for a retry.
            session.ReopenPinRequest(requestId);
        }
        else
        {
            // The outcome webhook may already have landed while We-Link was answering.
            outcome = status switch
            {
                PinRequestStatus.Succeeded => PinSubmissionOutcome.Succeeded,
                PinRequestStatus.Failed => PinSubmissionOutcome.LoginFailed,
                _ => PinSubmissionOutcome.Sent,
            };
            if (outcome == PinSubmissionOutcome.Sent)
            {
                AccountStateProjection.Apply(session, accountId, AccountFact.PinSubmitted(now, requestId, session.RequestStartedAt(requestId)));
                if (session.MarkRequestPinSubmitted(requestId, now))
                    session.Publish(new LiveChange(LiveChangeKind.RequestsChanged, AccountId: accountId));
            }
        }

        session.InsertPinSubmission(requestId, accountId, submittedBy, now, outcome, detail);
        session.Publish(new LiveChange(LiveChangeKind.PinsChanged, AccountId: accountId));
        session.Publish(new LiveChange(LiveChangeKind.AccountsChanged, AccountId: accountId));
        return outcome;
    }
}

/// <summary>Moves PIN requests past their expiry to the history, and their accounts to PinExpired.</summary>
public sealed class ExpirePinRequests : WriteOperation<int>
{
    public override int Apply(WriteSession session)
    {
        var now = session.NowMs;
        var expired = session.ExpirePinRequests(now);
        foreach (var (requestId, accountId) in expired)
        {
            if (accountId is null) continue;
            AccountStateProjection.Apply(session, accountId, AccountFact.PinExpired(now, requestId));
        }
        if (expired.Count > 0) session.Publish(new LiveChange(LiveChangeKind.PinsChanged));
        return expired.Count;
    }
}
