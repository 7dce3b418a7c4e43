using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Accounts;

namespace WeLink.Dashboard.Features.Alerts;

/// <summary>
/// Raises and clears alerts inside the writer's transaction, so an alert is committed with the
/// change that raised it or not at all. Needs no configuration: whether a rule is on and which
/// channels take it is decided when the sender fans a message out (<see cref="AlertDispatch"/>).
/// </summary>
public static class AlertRaiser
{
    /// <summary>
    /// A PIN request was opened: one alert per account while any of its PIN requests waits; a new
    /// request for an account with an open alert only becomes the one its link points at.
    /// </summary>
    public static void PinRequested(WriteSession session, string requestId, string? accountId, long now)
    {
        var open = accountId is not null ? session.FindOpenAlert(AlertRules.PinWaiting, accountId)
            : session.FindOpenAlertBySubject(AlertRules.PinWaiting, requestId);
        if (open is not null)
        {
            session.SetAlertSubject(open.Id, requestId);
            return;
        }
        Raise(session, AlertRules.PinWaiting, accountId, requestId, now);
    }

    /// <summary>
    /// A PIN request got its outcome. The alert raised for it while its account was not known (found by its request id)
    /// ends with it, in the outcome's transaction; an account's alert ends when the account's login state moves on
    /// (<see cref="AccountStateChanged"/>). The timer is left with reminders and expiries.
    /// </summary>
    public static void PinAnswered(WriteSession session, string requestId, long now)
    {
        if (session.FindOpenAlertBySubject(AlertRules.PinWaiting, requestId) is { } open) ClosePinWaitingIfAnswered(session, open, now);
    }

    /// <summary>An account's stored state changed: raise what it now suffers from, clear what it no longer does.</summary>
    public static void AccountStateChanged(WriteSession session, string accountId, AccountStateRecord before, AccountStateRecord after, long at)
    {
        if (after.Login != before.Login)
        {
            if (after.Login == LoginState.LoginFailed) RaiseOnce(session, AlertRules.LoginFailed, accountId, after.LoginErrorCode, at);
            if (after.Login == LoginState.SessionExpired) RaiseOnce(session, AlertRules.SessionExpired, accountId, null, at);
            if (after.Login == LoginState.Connected)
            {
                Resolve(session, AlertRules.LoginFailed, accountId, at);
                Resolve(session, AlertRules.SessionExpired, accountId, at);
            }
            if (after.Login is not (LoginState.PinRequired or LoginState.PinSubmitted)
                && session.FindOpenAlert(AlertRules.PinWaiting, accountId) is { } pin)
                ClosePinWaitingIfAnswered(session, pin, at);
        }
        if (after.RestrictedSince is not null && before.RestrictedSince is null) RaiseOnce(session, AlertRules.Restricted, accountId, null, at);
        else if (after.RestrictedSince is null && before.RestrictedSince is not null) Resolve(session, AlertRules.Restricted, accountId, at);
    }

    /// <summary>
    /// The PIN alert ends once no PIN request of its account waits: a last alert when the latest
    /// one expired unanswered, otherwise <c>Resolved</c>.
    /// </summary>
    public static bool ClosePinWaitingIfAnswered(WriteSession session, OpenAlertRow alert, long now)
    {
        if (session.HasWaitingPin(alert.AccountId, alert.Subject, now)) return false;
        var expired = session.PinStatusText(alert.Subject) is nameof(PinRequestStatus.Expired) or nameof(PinRequestStatus.Pending)
            or nameof(PinRequestStatus.Submitted);
        session.CloseAlert(alert.Id, now);
        session.InsertAlertMessage(alert.Id, expired ? AlertMessageKind.Expired : AlertMessageKind.Resolved, alert.Rule, alert.AccountId, alert.Subject, null, now);
        return true;
    }

    /// <summary>Opens an alert unless one of the rule is open for the account already.</summary>
    public static void RaiseOnce(WriteSession session, string rule, string accountId, string? subject, long now)
    {
        if (session.FindOpenAlert(rule, accountId) is not null) return;
        Raise(session, rule, accountId, subject, now);
    }

    /// <summary>
    /// For rules with no clear end (a spike, a wrong secret): fires and closes at once, at most once
    /// per <paramref name="cooldown"/> for the same subject. Returns whether it fired.
    /// </summary>
    public static bool RaiseWithCooldown(WriteSession session, string rule, string? subject, long count, long now, TimeSpan cooldown)
    {
        if (session.LastRaisedAt(rule, subject) is { } last && now - last < (long)cooldown.TotalMilliseconds) return false;
        var id = session.OpenAlert(rule, null, subject, now, count, closed: true);
        session.InsertAlertMessage(id, AlertMessageKind.Firing, rule, null, subject, count, now);
        return true;
    }

    public static void Resolve(WriteSession session, string rule, string accountId, long now)
    {
        if (session.FindOpenAlert(rule, accountId) is not { } open) return;
        session.CloseAlert(open.Id, now);
        session.InsertAlertMessage(open.Id, AlertMessageKind.Resolved, rule, accountId, open.Subject, null, now);
    }

    /// <summary>
    /// Tracked requests were given up (Lost) in this transaction: one open alert per account (or one for
    /// the requests with none) whose link shows the account's lost requests; more lost requests while it
    /// is open raise nothing new.
    /// </summary>
    public static void RequestsLost(WriteSession session, IReadOnlyList<string> requestIds, long now)
    {
        foreach (var requestId in requestIds)
        {
            var accountId = session.RequestAccount(requestId);
            if (session.FindOpenAlert(AlertRules.RequestLost, accountId) is not null) continue;
            Raise(session, AlertRules.RequestLost, accountId, requestId, now);
        }
    }

    /// <summary>
    /// A tracked request got an event after all. The account's RequestLost alert is resolved once no
    /// request it was raised for (lost since it opened) is still lost.
    /// </summary>
    public static void RequestSettled(WriteSession session, string requestId, long now)
    {
        if (session.OpenRequestLostAlertFor(requestId) is not { } open) return;
        if (session.HasLostRequestSince(open.AccountId, open.OpenedAt)) return;
        session.CloseAlert(open.Id, now);
        session.InsertAlertMessage(open.Id, AlertMessageKind.Resolved, open.Rule, open.AccountId, open.Subject, null, now);
    }

    /// <summary>
    /// Requests have waited <c>SilenceAfter</c> and no webhook came in that time: one open alert with no
    /// account, resolved by the first webhook stored after it opened.
    /// </summary>
    public static int CheckWebhookSilence(WriteSession session, bool silent, long? lastWebhookAt, long now)
    {
        var open = session.FindOpenAlert(AlertRules.WebhookSilence, null);
        if (open is null && silent)
        {
            Raise(session, AlertRules.WebhookSilence, null, null, now);
            return 1;
        }
        if (open is not null && lastWebhookAt > open.OpenedAt)
        {
            session.CloseAlert(open.Id, now);
            session.InsertAlertMessage(open.Id, AlertMessageKind.Resolved, open.Rule, null, null, null, now);
            return 1;
        }
        return 0;
    }

    /// <summary>A message to one channel only, through the same outbox as real alerts.</summary>
    public static void Test(WriteSession session, string channel, long now)
    {
        var id = session.OpenAlert("Test", null, channel, now, null, closed: true);
        session.InsertAlertMessage(id, AlertMessageKind.Test, "Test", null, channel, null, now, channel);
    }

    private static void Raise(WriteSession session, string rule, string? accountId, string? subject, long now)
    {
        var id = session.OpenAlert(rule, accountId, subject, now, null, closed: false);
        session.InsertAlertMessage(id, AlertMessageKind.Firing, rule, accountId, subject, null, now);
    }
}
