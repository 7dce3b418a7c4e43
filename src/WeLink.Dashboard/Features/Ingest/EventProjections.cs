using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Ingest;

/// <summary>
/// Keeps the read models in step with the log, in the event's own transaction: hourly counters,
/// known requests, pending PIN requests and each account's login state.
/// </summary>
public static class EventProjections
{
    public const long HourMs = EventCounters.HourMs;
    public const long DayMs = EventCounters.DayMs;

    public static void Apply(WriteSession session, long eventId, long now, EventClassification e, WebhookEnvelope envelope, TimeSpan pinTimeout)
    {
        session.AddEventCounts(now, e.AccountId ?? "", e.EventType, e.ErrorCode, 1);
        // On PostgreSQL the upsert answers when the request started, which the account's state needs: no second read.
        // On SQLite it does not (no RETURNING there); ApplyAccount reads it, only for an event with an account.
        long? requestStartedAt = null;
        if (e.RequestId is { } requestId && EventTypes.ActionOf(e.EventType) is { } action)
            requestStartedAt = session.UpsertObservedRequest(requestId, e.AccountId, action, now, IsAuthenticated(e.AccountSource));
        // A tracked request moves on with its event, in the event's transaction (only tracked rows change).
        if (e.RequestId is { } tracked && session.AdvanceTrackedRequest(tracked, e.EventType, eventId, now))
            session.Publish(new LiveChange(LiveChangeKind.RequestsChanged, AccountId: e.AccountId));

        var expiresAt = now + (long)pinTimeout.TotalMilliseconds;
        ApplyPinRequest(session, eventId, now, expiresAt, e);
        if (e.AccountId is not null) ApplyAccount(session, eventId, now, expiresAt, e, envelope, requestStartedAt);
    }

    private static void ApplyPinRequest(WriteSession session, long eventId, long now, long expiresAt, EventClassification e)
    {
        if (e.RequestId is not { } requestId) return;
        if (e.EventType == EventTypes.LoginPinRequired)
        {
            session.UpsertPendingPinRequest(requestId, e.AccountId, eventId, now, expiresAt, e.Message, IsAuthenticated(e.AccountSource));
            Alerts.AlertRaiser.PinRequested(session, requestId, e.AccountId, now);
            session.Publish(new LiveChange(LiveChangeKind.PinsChanged, AccountId: e.AccountId));
        }
        else if (e.EventType is EventTypes.LoginSuccess or EventTypes.LoginFailed)
        {
            var succeeded = e.EventType == EventTypes.LoginSuccess;
            // A late outcome still counts, even for a request that already expired.
            var changed = session.ResolvePinRequest(requestId, succeeded ? PinRequestStatus.Succeeded : PinRequestStatus.Failed, now, e.ErrorCode, e.AccountId);
            if (changed > 0)
            {
                session.SetSentSubmissionOutcome(requestId, succeeded ? PinSubmissionOutcome.Succeeded : PinSubmissionOutcome.LoginFailed);
                Alerts.AlertRaiser.PinAnswered(session, requestId, now);
                session.Publish(new LiveChange(LiveChangeKind.PinsChanged, AccountId: e.AccountId));
            }
        }
    }

    private static void ApplyAccount(WriteSession session, long eventId, long now, long pinExpiresAt, EventClassification e, WebhookEnvelope envelope,
        long? requestStartedAt)
    {
        var accountId = e.AccountId!;
        session.RecordAccountEvent(accountId, now, eventId, e.EventType, e.ErrorCode);

        if (e.EventType == EventTypes.LoginSuccess)
        {
            var first = envelope.ResultString("first_name");
            var last = envelope.ResultString("last_name");
            var name = string.Join(' ', new[] { first, last }.Where(s => !string.IsNullOrWhiteSpace(s)));
            session.UpdateAccountProfile(accountId, envelope.ResultString("email")?.Trim().ToLowerInvariant(), envelope.ResultString("profile_id"),
                name.Length == 0 ? null : name);
        }

        if (requestStartedAt is null && e.RequestId is { } requestId) requestStartedAt = session.RequestStartedAt(requestId);
        AccountStateProjection.Apply(session, accountId,
            AccountFact.Event(now, e.EventType, e.ErrorCode, e.RequestId, requestStartedAt, pinExpiresAt), eventId);
    }

    /// <summary>
    /// Gives a stored event the type and account a request that became known derives (a webhook can
    /// beat its request's answer): the event row, its counters, both accounts' event counts, the PIN
    /// request its new type opens or resolves, and the account's login state.
    /// </summary>
    public static void Reattribute(WriteSession session, string requestId, RequestEvent e, string type, DerivationSource typeSource, string? status,
        string? to, DerivationSource accountSource, TimeSpan pinTimeout)
    {
        var from = e.AccountId;
        session.SetEventDerivation(e.Id, type, typeSource, status, to, accountSource);
        if (type != e.EventType || from != to)
        {
            session.AddEventCounts(e.At, from ?? "", e.EventType, e.ErrorCode, -1);
            session.AddEventCounts(e.At, to ?? "", type, e.ErrorCode, 1);
            session.DeleteEmptyEventCounts(e.At, from ?? "");
        }
        if (from != to)
        {
            if (from is not null) session.DecrementEventCount(from);
            if (to is not null) session.AddMovedEvent(to, e.At, e.Id, type, e.ErrorCode);
        }
        // An unchanged type opened or resolved its PIN request when it was stored.
        if (type != e.EventType && type == EventTypes.LoginPinRequired)
        {
            session.UpsertPendingPinRequest(requestId, to, e.Id, e.At, e.At + (long)pinTimeout.TotalMilliseconds, e.Message, IsAuthenticated(accountSource));
            Alerts.AlertRaiser.PinRequested(session, requestId, to, e.At);
            session.Publish(new LiveChange(LiveChangeKind.PinsChanged, AccountId: to));
        }
        else if (type != e.EventType && type is EventTypes.LoginSuccess or EventTypes.LoginFailed)
        {
            var succeeded = type == EventTypes.LoginSuccess;
            if (session.ResolvePinRequest(requestId, succeeded ? PinRequestStatus.Succeeded : PinRequestStatus.Failed, e.At, e.ErrorCode, to) > 0)
            {
                session.SetSentSubmissionOutcome(requestId, succeeded ? PinSubmissionOutcome.Succeeded : PinSubmissionOutcome.LoginFailed);
                Alerts.AlertRaiser.PinAnswered(session, requestId, session.NowMs);
                session.Publish(new LiveChange(LiveChangeKind.PinsChanged, AccountId: to));
            }
        }
    }

    /// <summary>
    /// Attributions from a signed source (the body, or a request the dashboard knows): they may
    /// correct a hinted or inferred one; a hint or a guess never moves one.
    /// </summary>
    public static bool IsAuthenticated(DerivationSource source) =>
        source is DerivationSource.Explicit or DerivationSource.Correlated or DerivationSource.Conflicting;

    /// <summary>The login state an event moves its account to, if it is a login outcome; health is not a login state.</summary>
    public static LoginState? NextState(EventClassification e) => AccountStateMachine.LoginStateOf(e.EventType);
}
