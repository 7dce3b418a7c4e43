using WeLink.Dashboard.Features.Accounts;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Data.Sql;

/// <summary>Statements on <c>Accounts</c> and <c>AccountStateChanges</c>.</summary>
internal static class AccountSql
{
    private const string Unknown = nameof(LoginState.Unknown);

    public static void InsertStateChange(this WriteSession session, string accountId, LoginState state, string? errorCode, long at, long? eventId,
        StateChangeSource source) =>
        session.Execute(
            "INSERT INTO AccountStateChanges (AccountId, State, ErrorCode, At, EventId, Source) VALUES ($a, $s, $e, $now, $id, $src)",
            ("$a", accountId), ("$s", state.ToString()), ("$e", errorCode), ("$now", at), ("$id", eventId), ("$src", source.ToString()));

    /// <summary>
    /// Counts an event on its account and makes it the latest. The account's first event in a batch
    /// upserts the row at once (creating it, so its state can follow); later ones in the same batch
    /// only add up in memory and are written once, before the batch commits.
    /// </summary>
    public static void RecordAccountEvent(this WriteSession session, string accountId, long now, long eventId, string eventType, string? errorCode)
    {
        if (session.PendingAccountEvents.TryGetValue(accountId, out var pending))
        {
            pending.Count++;
            pending.At = now;
            pending.EventId = eventId;
            pending.EventType = eventType;
            if (errorCode is not null) pending.ErrorCode = errorCode;
            return;
        }
        session.Execute(
            """
            INSERT INTO Accounts (AccountId, LoginState, LoginRequestStartedAt, LoginUpdatedAt, KnownToWeLink, EventCount, LastEventAt, LastEventId, LastEventType, LastErrorCode)
            VALUES ($a, $unknown, 0, 0, FALSE, 1, $now, $id, $t, $e)
            ON CONFLICT (AccountId) DO UPDATE SET LastEventAt = $now, LastEventId = $id, LastEventType = $t, EventCount = Accounts.EventCount + 1,
                LastErrorCode = COALESCE($e, Accounts.LastErrorCode)
            """,
            ("$a", accountId), ("$unknown", Unknown), ("$now", now), ("$id", eventId), ("$t", eventType), ("$e", errorCode));
        session.PendingAccountEvents[accountId] = new PendingAccountEvents();
    }

    /// <summary>Writes the events counted in memory since each account's first event of the batch: one update per account.</summary>
    internal static void WritePendingAccountEvents(WriteSession session)
    {
        foreach (var (accountId, p) in session.PendingAccountEvents)
        {
            if (p.Count == 0) continue;
            session.Execute(
                """
                UPDATE Accounts SET EventCount = EventCount + $n, LastEventAt = $now, LastEventId = $id, LastEventType = $t,
                    LastErrorCode = COALESCE($e, LastErrorCode)
                WHERE AccountId = $a
                """,
                ("$n", p.Count), ("$now", p.At), ("$id", p.EventId), ("$t", p.EventType), ("$e", p.ErrorCode), ("$a", accountId));
        }
        session.PendingAccountEvents.Clear();
    }

    public static void UpdateAccountProfile(this WriteSession session, string accountId, string? email, string? profileId, string? displayName) =>
        session.Execute(
            """
            UPDATE Accounts SET Email = COALESCE($email, Email), ProfileId = COALESCE($profile, ProfileId),
                DisplayName = COALESCE($name, DisplayName)
            WHERE AccountId = $a
            """,
            ("$email", email), ("$profile", profileId), ("$name", displayName), ("$a", accountId));

    private const string StateColumns =
        "LoginState, StateErrorCode, StateChangedAt, LoginRequestStartedAt, LoginUpdatedAt, PendingPinRequestId, PinExpiresAt, " +
        "RateLimitedSince, RateLimitedAt, RestrictedSince, ProxyTroubleSince, LastActionAt";

    private static readonly DialectSql ReadStateSql = new(d => $"SELECT {StateColumns} FROM Accounts WHERE AccountId = $a{d.ForUpdate}");

    /// <summary>
    /// The account's login state and health times as this batch left them; null when there is no such
    /// account. Read from the row once per batch, then from memory. On PostgreSQL the row stays locked
    /// until the batch commits: another instance computing the same account's state waits and reads ours.
    /// </summary>
    public static AccountStateRecord? ReadAccountState(this WriteSession session, string accountId)
    {
        if (session.AccountStates.TryGetValue(accountId, out var cached)) return cached.Current;
        var stored = session.Row(
            ReadStateSql.For(session.Dialect),
            r => new AccountStateRecord(
                Enum.TryParse<LoginState>(r.GetString(0), out var login) ? login : LoginState.Unknown,
                r.NullableString(1), NullableLong(r, 2), r.GetInt64(3), r.GetInt64(4), r.NullableString(5), NullableLong(r, 6),
                NullableLong(r, 7), NullableLong(r, 8), NullableLong(r, 9), NullableLong(r, 10), NullableLong(r, 11)),
            ("$a", accountId));
        if (stored is not null) session.AccountStates[accountId] = new CachedAccountState(stored);
        return stored;
    }

    /// <summary>
    /// Stores the account's state. A change of the latest action's time alone (most events) waits in
    /// memory and is written once before the batch commits; any other change is written at once.
    /// </summary>
    public static void WriteAccountState(this WriteSession session, string accountId, AccountStateRecord s)
    {
        if (session.AccountStates.TryGetValue(accountId, out var cached) && s with { LastActionAt = cached.Stored.LastActionAt } == cached.Stored)
        {
            cached.Current = s;
            return;
        }
        UpdateAccountState(session, accountId, s);
        session.AccountStates[accountId] = new CachedAccountState(s);
    }

    /// <summary>Writes the states whose latest-action time moved in memory.</summary>
    internal static void WritePendingAccountStates(WriteSession session)
    {
        foreach (var (accountId, cached) in session.AccountStates)
        {
            if (cached.Current == cached.Stored) continue;
            UpdateAccountState(session, accountId, cached.Current);
            cached.Stored = cached.Current;
        }
    }

    /// <summary>Before a statement that changes account states in SQL: what waits is written and nothing read before is trusted.</summary>
    private static void ForgetAccountStates(WriteSession session)
    {
        WritePendingAccountStates(session);
        session.AccountStates.Clear();
    }

    private static void UpdateAccountState(WriteSession session, string accountId, AccountStateRecord s) => session.Execute(
        """
        UPDATE Accounts SET LoginState = $s, StateErrorCode = $e, StateChangedAt = $since, LoginRequestStartedAt = $started,
            LoginUpdatedAt = $updated, PendingPinRequestId = $pin, PinExpiresAt = $exp, RateLimitedSince = $rls, RateLimitedAt = $rla,
            RestrictedSince = $rs, ProxyTroubleSince = $ps, LastActionAt = $la
        WHERE AccountId = $a
        """,
        ("$s", s.Login.ToString()), ("$e", s.LoginErrorCode), ("$since", s.LoginSince), ("$started", s.LoginRequestStartedAt),
        ("$updated", s.LoginUpdatedAt), ("$pin", s.PendingPinRequestId), ("$exp", s.PinExpiresAt), ("$rls", s.RateLimitedSince),
        ("$rla", s.RateLimitedAt), ("$rs", s.RestrictedSince), ("$ps", s.ProxyTroubleSince), ("$la", s.LastActionAt), ("$a", accountId));

    /// <summary>History rows of the states that used to fold health into the login state ("RateLimited", "Restricted").</summary>
    public static int DeleteFoldedStateChanges(this WriteSession session) =>
        session.Execute("DELETE FROM AccountStateChanges WHERE State IN ('RateLimited', 'Restricted')");

    public static void SetSessionCheckedAt(this WriteSession session, string accountId, long at) =>
        session.Execute("UPDATE Accounts SET SessionCheckedAt = $at WHERE AccountId = $a", ("$at", at), ("$a", accountId));

    /// <summary>When the request started: the first time the dashboard knew it, or null.</summary>
    public static long? RequestStartedAt(this WriteSession session, string requestId) =>
        session.Scalar<long?>("SELECT CreatedAt FROM Requests WHERE RequestId = $r", ("$r", requestId));

    /// <summary>
    /// Every stored fact the account's state follows from: its login events and the events that set or
    /// clear a health flag (with the latest action without a proxy error), sent PIN submissions, PIN
    /// expiries, and <c>/me</c> answers that changed its state.
    /// </summary>
    public static List<AccountFact> AccountFacts(this WriteSession session, string accountId)
    {
        var facts = session.Rows(
            """
            SELECT e.ReceivedAt, e.EventType, e.ErrorCode, e.RequestId, r.CreatedAt, p.ExpiresAt
            FROM Events e
            LEFT JOIN Requests r ON r.RequestId = e.RequestId
            LEFT JOIN PinRequests p ON p.RequestId = e.RequestId AND e.EventType = $pinRequired
            WHERE e.AccountId = $a AND (e.EventType IN ($success, $pinRequired, $failed) OR e.ErrorCode IN ($limited, $restricted, $proxy)
                OR e.Id = (SELECT Id FROM Events WHERE AccountId = $a AND COALESCE(ErrorCode, '') <> $proxy ORDER BY ReceivedAt DESC, Id DESC LIMIT 1))
            """,
            r => AccountFact.Event(r.GetInt64(0), r.GetString(1), r.NullableString(2), r.NullableString(3), NullableLong(r, 4), NullableLong(r, 5)),
            ("$a", accountId), ("$success", EventTypes.LoginSuccess), ("$pinRequired", EventTypes.LoginPinRequired), ("$failed", EventTypes.LoginFailed),
            ("$limited", ErrorCodes.RateLimited), ("$restricted", ErrorCodes.AccountRestricted), ("$proxy", ErrorCodes.ProxyError));
        facts.AddRange(session.Rows(
            """
            SELECT s.SubmittedAt, s.RequestId, r.CreatedAt FROM PinSubmissions s LEFT JOIN Requests r ON r.RequestId = s.RequestId
            WHERE s.AccountId = $a AND s.Outcome IN ($sent, $succeeded, $loginFailed)
            """,
            r => AccountFact.PinSubmitted(r.GetInt64(0), r.GetString(1), NullableLong(r, 2)),
            ("$a", accountId), ("$sent", nameof(PinSubmissionOutcome.Sent)), ("$succeeded", nameof(PinSubmissionOutcome.Succeeded)),
            ("$loginFailed", nameof(PinSubmissionOutcome.LoginFailed))));
        facts.AddRange(session.Rows(
            "SELECT ResolvedAt, RequestId FROM PinRequests WHERE AccountId = $a AND Status = $expired AND ResolvedAt IS NOT NULL",
            r => AccountFact.PinExpired(r.GetInt64(0), r.GetString(1)),
            ("$a", accountId), ("$expired", nameof(PinRequestStatus.Expired))));
        // A /me answer is stored only as the state change it made (a change with no event).
        facts.AddRange(session.Rows(
            "SELECT At, State FROM AccountStateChanges WHERE AccountId = $a AND Source = $check",
            r => AccountFact.Session(r.GetInt64(0), r.GetString(1) == nameof(LoginState.Connected)),
            ("$a", accountId), ("$check", nameof(StateChangeSource.SessionCheck))));
        return facts;
    }

    private static long? NullableLong(System.Data.Common.DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    private static readonly DialectSql DecrementSql = new(d => $"UPDATE Accounts SET EventCount = {d.Greatest}(EventCount - 1, 0) WHERE AccountId = $a");

    public static void DecrementEventCount(this WriteSession session, string accountId) =>
        session.Execute(DecrementSql.For(session.Dialect), ("$a", accountId));

    private static readonly DialectSql AddMovedEventSql = new(d =>
        $"""
        INSERT INTO Accounts (AccountId, LoginState, LoginRequestStartedAt, LoginUpdatedAt, KnownToWeLink, EventCount, LastEventAt, LastEventId, LastEventType, LastErrorCode)
        VALUES ($a, $unknown, 0, 0, FALSE, 1, $at, $id, $t, $e)
        ON CONFLICT (AccountId) DO UPDATE SET EventCount = Accounts.EventCount + 1,
            LastEventId = CASE WHEN COALESCE(Accounts.LastEventAt, 0) <= $at THEN $id ELSE Accounts.LastEventId END,
            LastEventType = CASE WHEN COALESCE(Accounts.LastEventAt, 0) <= $at THEN $t ELSE Accounts.LastEventType END,
            LastEventAt = {d.Greatest}(COALESCE(Accounts.LastEventAt, 0), $at)
        """);

    /// <summary>Counts a moved event on its new account, which keeps its latest event.</summary>
    public static void AddMovedEvent(this WriteSession session, string accountId, long at, long eventId, string eventType, string? errorCode)
    {
        // It compares with the latest event: what the batch counted in memory goes to the row first.
        WritePendingAccountEvents(session);
        session.Execute(AddMovedEventSql.For(session.Dialect),
            ("$a", accountId), ("$unknown", Unknown), ("$at", at), ("$id", eventId), ("$t", eventType), ("$e", errorCode));
    }

    /// <summary>Accounts other than <paramref name="accountId"/> waiting for the request's PIN no longer do.</summary>
    public static void ReleasePendingPin(this WriteSession session, string requestId, string accountId)
    {
        ForgetAccountStates(session);
        session.Execute(
        """
        UPDATE Accounts SET LoginState = $unknown, PendingPinRequestId = NULL, PinExpiresAt = NULL
        WHERE PendingPinRequestId = $r AND AccountId <> $a
        """,
        ("$unknown", Unknown), ("$r", requestId), ("$a", accountId));
    }

    private static readonly DialectSql TakeOpenPinRequestSql = new(d =>
        $"""
        UPDATE Accounts SET LoginState = $required, StateErrorCode = NULL, StateChangedAt = p.RequestedAt,
            PendingPinRequestId = p.RequestId, PinExpiresAt = p.ExpiresAt,
            LoginRequestStartedAt = {d.Least}(p.RequestedAt, COALESCE((SELECT CreatedAt FROM Requests WHERE RequestId = p.RequestId), p.RequestedAt)),
            LoginUpdatedAt = p.RequestedAt
        FROM (SELECT RequestId, RequestedAt, ExpiresAt FROM PinRequests WHERE RequestId = $r AND Status IN ($pending, $submitted)) AS p
        WHERE AccountId = $a AND COALESCE(StateChangedAt, 0) <= p.RequestedAt
        """);

    /// <summary>The account waits for the request's PIN, if it is still open and newer than the account's state.</summary>
    public static void TakeOpenPinRequest(this WriteSession session, string requestId, string accountId)
    {
        ForgetAccountStates(session);
        session.Execute(TakeOpenPinRequestSql.For(session.Dialect),
        ("$required", nameof(LoginState.PinRequired)), ("$r", requestId), ("$pending", nameof(PinRequestStatus.Pending)),
        ("$submitted", nameof(PinRequestStatus.Submitted)), ("$a", accountId));
    }

    /// <summary>An account from We-Link's list: created if new, its e-mail filled in and marked known.</summary>
    public static void UpsertWeLinkAccount(this WriteSession session, string accountId, string? email, long now) => session.Execute(
        """
        INSERT INTO Accounts (AccountId, Email, LoginState, LoginRequestStartedAt, LoginUpdatedAt, KnownToWeLink, SyncedAt, EventCount)
        VALUES ($a, $e, $unknown, 0, 0, TRUE, $now, 0)
        ON CONFLICT (AccountId) DO UPDATE SET Email = COALESCE(excluded.Email, Accounts.Email), KnownToWeLink = TRUE, SyncedAt = $now
        """,
        ("$a", accountId), ("$e", email), ("$unknown", Unknown), ("$now", now));

    public static string? FindAccountByEmail(this WriteSession session, string email) =>
        session.Scalar<string>("SELECT AccountId FROM Accounts WHERE Email = $e LIMIT 1", ("$e", email));

    public static string? FindAccountByProfileId(this WriteSession session, string profileId) =>
        session.Scalar<string>("SELECT AccountId FROM Accounts WHERE ProfileId = $p LIMIT 1", ("$p", profileId));
}

/// <summary>Events counted on an account in memory since its first event of the batch.</summary>
internal sealed class PendingAccountEvents
{
    public long Count;
    public long At;
    public long EventId;
    public string EventType = "";
    public string? ErrorCode;
}

/// <summary>An account's state as stored and as the batch made it.</summary>
internal sealed class CachedAccountState(AccountStateRecord stored)
{
    public AccountStateRecord Stored = stored;
    public AccountStateRecord Current = stored;
}
