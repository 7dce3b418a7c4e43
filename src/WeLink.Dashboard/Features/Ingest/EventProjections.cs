using WeLink.Dashboard.Data;
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
        session.Execute(
            """
            INSERT INTO HourlyEventCounts (Hour, AccountKey, EventType, ErrorCode, Count) VALUES ($h, $a, $t, $e, 1)
            ON CONFLICT (Hour, AccountKey, EventType, ErrorCode) DO UPDATE SET Count = Count + 1
            """,
            ("$h", now - now % HourMs), ("$a", e.AccountId ?? ""), ("$t", e.EventType), ("$e", e.ErrorCode ?? ""));
        session.Execute(
            """
            INSERT INTO DailyEventCounts (Day, AccountKey, EventType, ErrorCode, Count) VALUES ($d, $a, $t, $e, 1)
            ON CONFLICT (Day, AccountKey, EventType, ErrorCode) DO UPDATE SET Count = Count + 1
            """,
            ("$d", now - now % DayMs), ("$a", e.AccountId ?? ""), ("$t", e.EventType), ("$e", e.ErrorCode ?? ""));
        if (e.ErrorCode is not null)
        {
            session.Execute(
                """
                INSERT INTO DailyErrorCounts (Day, ErrorCode, AccountKey, Count) VALUES ($d, $e, $a, 1)
                ON CONFLICT (Day, ErrorCode, AccountKey) DO UPDATE SET Count = Count + 1
                """,
                ("$d", now - now % DayMs), ("$e", e.ErrorCode), ("$a", e.AccountId ?? ""));
        }

        if (e.RequestId is { } requestId && EventTypes.ActionOf(e.EventType) is { } action)
        {
            // The request keeps the first account it learns; one that came from a URL hint stays a
            // hint for its later events (see StoreWebhookEvent.RequestLookupSql) and a signed source
            // (a body field) replaces it.
            session.Execute(
                """
                INSERT INTO Requests (RequestId, AccountId, Action, Source, CreatedAt) VALUES ($r, $a, $action, 'Observed', $now)
                ON CONFLICT (RequestId) DO UPDATE SET AccountId = CASE
                        WHEN $authenticated = 1 AND excluded.AccountId IS NOT NULL AND Requests.Source = 'Observed'
                             AND NOT EXISTS (SELECT 1 FROM Events e WHERE e.RequestId = Requests.RequestId AND e.AccountId = Requests.AccountId
                                             AND e.AccountSource IN ('Explicit', 'Correlated', 'Conflicting'))
                        THEN excluded.AccountId ELSE COALESCE(Requests.AccountId, excluded.AccountId) END,
                                                      Action = COALESCE(Requests.Action, excluded.Action)
                """,
                ("$r", requestId), ("$a", e.AccountId), ("$action", action), ("$now", now), ("$authenticated", IsAuthenticated(e.AccountSource) ? 1 : 0));
        }

        var expiresAt = now + (long)pinTimeout.TotalMilliseconds;
        ApplyPinRequest(session, eventId, now, expiresAt, e);
        if (e.AccountId is not null) ApplyAccount(session, eventId, now, expiresAt, e, envelope);
    }

    private static void ApplyPinRequest(WriteSession session, long eventId, long now, long expiresAt, EventClassification e)
    {
        if (e.RequestId is not { } requestId) return;
        if (e.EventType == EventTypes.LoginPinRequired)
        {
            // A new PIN request for the same login (e.g. after a wrong PIN) opens it again. Its account
            // stays unless it came from a hint or a guess and this event's is authenticated.
            session.Execute(
                """
                INSERT INTO PinRequests (RequestId, AccountId, EventId, RequestedAt, ExpiresAt, Status, Message)
                VALUES ($r, $a, $id, $now, $exp, 'Pending', $m)
                ON CONFLICT (RequestId) DO UPDATE SET AccountId = CASE
                        WHEN PinRequests.AccountId IS NULL THEN excluded.AccountId
                        WHEN $authenticated = 1 AND (SELECT AccountSource FROM Events WHERE Id = PinRequests.EventId)
                             NOT IN ('Explicit', 'Correlated', 'Conflicting') THEN COALESCE(excluded.AccountId, PinRequests.AccountId)
                        ELSE PinRequests.AccountId END,
                    EventId = excluded.EventId, RequestedAt = excluded.RequestedAt, ExpiresAt = excluded.ExpiresAt,
                    Status = 'Pending', SubmittedAt = NULL, SubmittedBy = NULL, ResolvedAt = NULL, OutcomeErrorCode = NULL,
                    Message = excluded.Message
                """,
                ("$r", requestId), ("$a", e.AccountId), ("$id", eventId), ("$now", now), ("$exp", expiresAt), ("$m", e.Message),
                ("$authenticated", IsAuthenticated(e.AccountSource) ? 1 : 0));
            session.Publish(new LiveChange(LiveChangeKind.PinsChanged, AccountId: e.AccountId));
        }
        else if (e.EventType is EventTypes.LoginSuccess or EventTypes.LoginFailed)
        {
            var succeeded = e.EventType == EventTypes.LoginSuccess;
            // A late outcome still counts, even for a request that already expired.
            var changed = session.Execute(
                """
                UPDATE PinRequests SET Status = $s, ResolvedAt = $now, OutcomeErrorCode = $e, AccountId = COALESCE(AccountId, $a)
                WHERE RequestId = $r
                """,
                ("$s", (succeeded ? PinRequestStatus.Succeeded : PinRequestStatus.Failed).ToString()), ("$now", now),
                ("$e", e.ErrorCode), ("$a", e.AccountId), ("$r", requestId));
            if (changed > 0)
            {
                session.Execute(
                    "UPDATE PinSubmissions SET Outcome = $o WHERE RequestId = $r AND Outcome = 'Sent'",
                    ("$o", (succeeded ? PinSubmissionOutcome.Succeeded : PinSubmissionOutcome.LoginFailed).ToString()), ("$r", requestId));
                session.Publish(new LiveChange(LiveChangeKind.PinsChanged, AccountId: e.AccountId));
            }
        }
    }

    private static void ApplyAccount(WriteSession session, long eventId, long now, long pinExpiresAt, EventClassification e, WebhookEnvelope envelope)
    {
        var accountId = e.AccountId!;
        // One upsert: a first event creates the account, later ones update its last-event fields.
        session.Execute(
            """
            INSERT INTO Accounts (AccountId, LoginState, KnownToWeLink, EventCount, LastEventAt, LastEventId, LastEventType, LastErrorCode, RateLimitedAt)
            VALUES ($a, 'Unknown', 0, 1, $now, $id, $t, $e, CASE WHEN $e = 'STATUS_429' THEN $now END)
            ON CONFLICT (AccountId) DO UPDATE SET LastEventAt = $now, LastEventId = $id, LastEventType = $t, EventCount = EventCount + 1,
                LastErrorCode = COALESCE($e, LastErrorCode),
                RateLimitedAt = CASE WHEN $e = 'STATUS_429' THEN $now ELSE RateLimitedAt END
            """,
            ("$a", accountId), ("$now", now), ("$id", eventId), ("$t", e.EventType), ("$e", e.ErrorCode));

        if (e.EventType == EventTypes.LoginSuccess)
        {
            var first = envelope.ResultString("first_name");
            var last = envelope.ResultString("last_name");
            var name = string.Join(' ', new[] { first, last }.Where(s => !string.IsNullOrWhiteSpace(s)));
            session.Execute(
                """
                UPDATE Accounts SET Email = COALESCE($email, Email), ProfileId = COALESCE($profile, ProfileId),
                    DisplayName = COALESCE($name, DisplayName)
                WHERE AccountId = $a
                """,
                ("$email", envelope.ResultString("email")?.Trim().ToLowerInvariant()), ("$profile", envelope.ResultString("profile_id")),
                ("$name", name.Length == 0 ? null : name), ("$a", accountId));
        }

        var next = NextState(e);
        if (next is { } state)
        {
            var pinRequest = state == LoginState.PinRequired ? e.RequestId : null;
            session.Execute(
                """
                UPDATE Accounts SET LoginState = $s, StateErrorCode = $e, StateChangedAt = $now,
                    PendingPinRequestId = $pin, PinExpiresAt = $exp
                WHERE AccountId = $a
                """,
                ("$s", state.ToString()), ("$e", state is LoginState.LoginFailed or LoginState.Restricted ? e.ErrorCode : null),
                ("$now", now), ("$pin", pinRequest), ("$exp", pinRequest is null ? null : pinExpiresAt), ("$a", accountId));
        }

        var recorded = next ?? (e.ErrorCode == ErrorCodes.RateLimited ? LoginState.RateLimited : null);
        if (recorded is { } change)
        {
            session.Execute(
                "INSERT INTO AccountStateChanges (AccountId, State, ErrorCode, At, EventId) VALUES ($a, $s, $e, $now, $id)",
                ("$a", accountId), ("$s", change.ToString()), ("$e", e.ErrorCode), ("$now", now), ("$id", eventId));
            session.Publish(new LiveChange(LiveChangeKind.AccountsChanged, AccountId: accountId));
        }
    }

    /// <summary>
    /// Moves a stored event attributed by a hint, a guess or nothing to the account an authenticated
    /// source names: the event row, its counters and both accounts' event counts.
    /// </summary>
    public static void Reattribute(WriteSession session, long eventId, long at, string eventType, string? errorCode, string? from, string to)
    {
        session.Execute("UPDATE Events SET AccountId = $a, AccountSource = 'Correlated' WHERE Id = $id", ("$a", to), ("$id", eventId));
        foreach (var (key, delta) in new[] { (from ?? "", -1), (to, 1) })
        {
            session.Execute(
                """
                INSERT INTO HourlyEventCounts (Hour, AccountKey, EventType, ErrorCode, Count) VALUES ($h, $a, $t, $e, $n)
                ON CONFLICT (Hour, AccountKey, EventType, ErrorCode) DO UPDATE SET Count = Count + $n
                """,
                ("$h", at - at % HourMs), ("$a", key), ("$t", eventType), ("$e", errorCode ?? ""), ("$n", delta));
            session.Execute(
                """
                INSERT INTO DailyEventCounts (Day, AccountKey, EventType, ErrorCode, Count) VALUES ($d, $a, $t, $e, $n)
                ON CONFLICT (Day, AccountKey, EventType, ErrorCode) DO UPDATE SET Count = Count + $n
                """,
                ("$d", at - at % DayMs), ("$a", key), ("$t", eventType), ("$e", errorCode ?? ""), ("$n", delta));
            if (errorCode is not null)
            {
                session.Execute(
                    """
                    INSERT INTO DailyErrorCounts (Day, ErrorCode, AccountKey, Count) VALUES ($d, $e, $a, $n)
                    ON CONFLICT (Day, ErrorCode, AccountKey) DO UPDATE SET Count = Count + $n
                    """,
                    ("$d", at - at % DayMs), ("$e", errorCode), ("$a", key), ("$n", delta));
            }
        }
        // Rows a move emptied would read as zero-count entries in breakdowns.
        session.Execute("DELETE FROM HourlyEventCounts WHERE Hour = $h AND AccountKey = $a AND Count <= 0", ("$h", at - at % HourMs), ("$a", from ?? ""));
        session.Execute("DELETE FROM DailyEventCounts WHERE Day = $d AND AccountKey = $a AND Count <= 0", ("$d", at - at % DayMs), ("$a", from ?? ""));
        session.Execute("DELETE FROM DailyErrorCounts WHERE Day = $d AND AccountKey = $a AND Count <= 0", ("$d", at - at % DayMs), ("$a", from ?? ""));

        if (from is not null) session.Execute("UPDATE Accounts SET EventCount = MAX(EventCount - 1, 0) WHERE AccountId = $a", ("$a", from));
        session.Execute(
            """
            INSERT INTO Accounts (AccountId, LoginState, KnownToWeLink, EventCount, LastEventAt, LastEventId, LastEventType, LastErrorCode)
            VALUES ($a, 'Unknown', 0, 1, $at, $id, $t, $e)
            ON CONFLICT (AccountId) DO UPDATE SET EventCount = EventCount + 1,
                LastEventId = CASE WHEN COALESCE(LastEventAt, 0) <= $at THEN $id ELSE LastEventId END,
                LastEventType = CASE WHEN COALESCE(LastEventAt, 0) <= $at THEN $t ELSE LastEventType END,
                LastEventAt = MAX(COALESCE(LastEventAt, 0), $at)
            """,
            ("$a", to), ("$at", at), ("$id", eventId), ("$t", eventType), ("$e", errorCode));
    }

    /// <summary>
    /// Attributions from a signed source (the body, or a request the dashboard knows): they may
    /// correct a hinted or inferred one; a hint or a guess never moves one.
    /// </summary>
    public static bool IsAuthenticated(DerivationSource source) =>
        source is DerivationSource.Explicit or DerivationSource.Correlated or DerivationSource.Conflicting;

    /// <summary>The base login state an event moves its account to, if any.</summary>
    public static LoginState? NextState(EventClassification e) =>
        e.ErrorCode == ErrorCodes.AccountRestricted ? LoginState.Restricted
        : e.EventType switch
        {
            EventTypes.LoginSuccess => LoginState.Connected,
            EventTypes.LoginPinRequired => LoginState.PinRequired,
            EventTypes.LoginFailed => LoginState.LoginFailed,
            _ => null,
        };
}
