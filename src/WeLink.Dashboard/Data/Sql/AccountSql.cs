using WeLink.Webhooks;

namespace WeLink.Dashboard.Data.Sql;

/// <summary>Statements on <c>Accounts</c> and <c>AccountStateChanges</c>.</summary>
internal static class AccountSql
{
    private const string Unknown = nameof(LoginState.Unknown);

    public static void InsertStateChange(this WriteSession session, string accountId, LoginState state, string? errorCode, long at, long? eventId) =>
        session.Execute(
            "INSERT INTO AccountStateChanges (AccountId, State, ErrorCode, At, EventId) VALUES ($a, $s, $e, $now, $id)",
            ("$a", accountId), ("$s", state.ToString()), ("$e", errorCode), ("$now", at), ("$id", eventId));

    /// <summary>Moves the account to <paramref name="state"/> if it is in one of <paramref name="from"/>; true when it moved.</summary>
    public static bool MoveLoginState(this WriteSession session, string accountId, LoginState state, long now, LoginState[] from, string? pendingPinRequestId = null)
    {
        // The states are bound one parameter each: the statement text depends only on how many.
        var names = string.Join(", ", from.Select((_, i) => "$f" + i));
        var parameters = new List<(string, object?)> { ("$s", state.ToString()), ("$now", now), ("$a", accountId), ("$pin", pendingPinRequestId) };
        parameters.AddRange(from.Select((f, i) => ("$f" + i, (object?)f.ToString())));
        return session.Execute(
            $"""
            UPDATE Accounts SET LoginState = $s, StateChangedAt = $now
            WHERE AccountId = $a AND ($pin IS NULL OR PendingPinRequestId = $pin) AND LoginState IN ({names})
            """,
            parameters.ToArray()) > 0;
    }

    /// <summary>One upsert: a first event creates the account, later ones update its last-event fields.</summary>
    public static void RecordAccountEvent(this WriteSession session, string accountId, long now, long eventId, string eventType, string? errorCode) =>
        session.Execute(
            """
            INSERT INTO Accounts (AccountId, LoginState, KnownToWeLink, EventCount, LastEventAt, LastEventId, LastEventType, LastErrorCode, RateLimitedAt)
            VALUES ($a, $unknown, 0, 1, $now, $id, $t, $e, CASE WHEN $e = $limited THEN $now END)
            ON CONFLICT (AccountId) DO UPDATE SET LastEventAt = $now, LastEventId = $id, LastEventType = $t, EventCount = EventCount + 1,
                LastErrorCode = COALESCE($e, LastErrorCode),
                RateLimitedAt = CASE WHEN $e = $limited THEN $now ELSE RateLimitedAt END
            """,
            ("$a", accountId), ("$unknown", Unknown), ("$now", now), ("$id", eventId), ("$t", eventType), ("$e", errorCode),
            ("$limited", ErrorCodes.RateLimited));

    public static void UpdateAccountProfile(this WriteSession session, string accountId, string? email, string? profileId, string? displayName) =>
        session.Execute(
            """
            UPDATE Accounts SET Email = COALESCE($email, Email), ProfileId = COALESCE($profile, ProfileId),
                DisplayName = COALESCE($name, DisplayName)
            WHERE AccountId = $a
            """,
            ("$email", email), ("$profile", profileId), ("$name", displayName), ("$a", accountId));

    public static void SetLoginState(this WriteSession session, string accountId, LoginState state, string? errorCode, long now,
        string? pendingPinRequestId, long? pinExpiresAt) => session.Execute(
        """
        UPDATE Accounts SET LoginState = $s, StateErrorCode = $e, StateChangedAt = $now,
            PendingPinRequestId = $pin, PinExpiresAt = $exp
        WHERE AccountId = $a
        """,
        ("$s", state.ToString()), ("$e", errorCode), ("$now", now), ("$pin", pendingPinRequestId), ("$exp", pinExpiresAt), ("$a", accountId));

    public static void DecrementEventCount(this WriteSession session, string accountId) =>
        session.Execute("UPDATE Accounts SET EventCount = MAX(EventCount - 1, 0) WHERE AccountId = $a", ("$a", accountId));

    /// <summary>Counts a moved event on its new account, which keeps its latest event.</summary>
    public static void AddMovedEvent(this WriteSession session, string accountId, long at, long eventId, string eventType, string? errorCode) =>
        session.Execute(
            """
            INSERT INTO Accounts (AccountId, LoginState, KnownToWeLink, EventCount, LastEventAt, LastEventId, LastEventType, LastErrorCode)
            VALUES ($a, $unknown, 0, 1, $at, $id, $t, $e)
            ON CONFLICT (AccountId) DO UPDATE SET EventCount = EventCount + 1,
                LastEventId = CASE WHEN COALESCE(LastEventAt, 0) <= $at THEN $id ELSE LastEventId END,
                LastEventType = CASE WHEN COALESCE(LastEventAt, 0) <= $at THEN $t ELSE LastEventType END,
                LastEventAt = MAX(COALESCE(LastEventAt, 0), $at)
            """,
            ("$a", accountId), ("$unknown", Unknown), ("$at", at), ("$id", eventId), ("$t", eventType), ("$e", errorCode));

    /// <summary>Accounts other than <paramref name="accountId"/> waiting for the request's PIN no longer do.</summary>
    public static void ReleasePendingPin(this WriteSession session, string requestId, string accountId) => session.Execute(
        """
        UPDATE Accounts SET LoginState = $unknown, PendingPinRequestId = NULL, PinExpiresAt = NULL
        WHERE PendingPinRequestId = $r AND AccountId <> $a
        """,
        ("$unknown", Unknown), ("$r", requestId), ("$a", accountId));

    /// <summary>The account waits for the request's PIN, if it is still open and newer than the account's state.</summary>
    public static void TakeOpenPinRequest(this WriteSession session, string requestId, string accountId) => session.Execute(
        """
        UPDATE Accounts SET LoginState = $required, StateErrorCode = NULL, StateChangedAt = p.RequestedAt,
            PendingPinRequestId = p.RequestId, PinExpiresAt = p.ExpiresAt
        FROM (SELECT RequestId, RequestedAt, ExpiresAt FROM PinRequests WHERE RequestId = $r AND Status IN ($pending, $submitted)) AS p
        WHERE AccountId = $a AND COALESCE(StateChangedAt, 0) <= p.RequestedAt
        """,
        ("$required", nameof(LoginState.PinRequired)), ("$r", requestId), ("$pending", nameof(PinRequestStatus.Pending)),
        ("$submitted", nameof(PinRequestStatus.Submitted)), ("$a", accountId));

    /// <summary>An account from We-Link's list: created if new, its e-mail filled in and marked known.</summary>
    public static void UpsertWeLinkAccount(this WriteSession session, string accountId, string? email, long now) => session.Execute(
        """
        INSERT INTO Accounts (AccountId, Email, LoginState, KnownToWeLink, SyncedAt, EventCount) VALUES ($a, $e, $unknown, 1, $now, 0)
        ON CONFLICT (AccountId) DO UPDATE SET Email = COALESCE(excluded.Email, Accounts.Email), KnownToWeLink = 1, SyncedAt = $now
        """,
        ("$a", accountId), ("$e", email), ("$unknown", Unknown), ("$now", now));

    public static string? FindAccountByEmail(this WriteSession session, string email) =>
        session.Scalar<string>("SELECT AccountId FROM Accounts WHERE Email = $e LIMIT 1", ("$e", email));

    public static string? FindAccountByProfileId(this WriteSession session, string profileId) =>
        session.Scalar<string>("SELECT AccountId FROM Accounts WHERE ProfileId = $p LIMIT 1", ("$p", profileId));
}
