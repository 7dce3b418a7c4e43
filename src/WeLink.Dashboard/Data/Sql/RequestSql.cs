using WeLink.Webhooks;

namespace WeLink.Dashboard.Data.Sql;

/// <summary>An event stored under a request, as its attribution reads it.</summary>
public sealed record RequestEvent(long Id, long At, string EventType, DerivationSource TypeSource, string? AccountId, DerivationSource AccountSource,
    string? Status, string? ErrorCode, string? Message);

/// <summary>Statements on <c>Requests</c>.</summary>
internal static class RequestSql
{
    private const string Observed = nameof(RequestSource.Observed);

    /// <summary>
    /// A request's account is authenticated when a registration or the dashboard recorded it, or a
    /// body field named it; an account a request only learnt from a URL hint is still a hint.
    /// </summary>
    public static KnownRequest? FindRequest(this WriteSession session, string requestId) => session.Row(
        $"""
        SELECT AccountId, Action,
               CASE WHEN Source <> $observed OR EXISTS (SELECT 1 FROM Events e WHERE e.RequestId = Requests.RequestId
                         AND e.AccountId = Requests.AccountId AND e.AccountSource IN {EventSql.AuthenticatedSources})
                    THEN 1 ELSE 0 END,
               CASE WHEN Action = $message AND EXISTS (SELECT 1 FROM Events e WHERE e.RequestId = Requests.RequestId AND e.EventType = $sent)
                    THEN 1 ELSE 0 END
        FROM Requests WHERE RequestId = $r
        """,
        r => new KnownRequest(requestId, r.NullableString(0), r.NullableString(1), r.GetInt64(2) == 1, r.GetInt64(3) == 1),
        ("$observed", Observed), ("$message", RequestActions.Message), ("$sent", EventTypes.MessageSent), ("$r", requestId));

    /// <summary>
    /// Records a request whose action is known but whose account is not yet (a login by an e-mail
    /// We-Link's list does not have yet): its family types the events, its account comes later.
    /// </summary>
    public static void UpsertUnattributedRequest(this WriteSession session, string requestId, string? action, long now) => session.Execute(
        """
        INSERT INTO Requests (RequestId, AccountId, Action, Source, CreatedAt) VALUES ($r, NULL, $action, $observed, $now)
        ON CONFLICT (RequestId) DO UPDATE SET Action = COALESCE(excluded.Action, Requests.Action)
        """,
        ("$r", requestId), ("$action", action), ("$observed", Observed), ("$now", now));

    /// <summary>Every event stored under the request, oldest first.</summary>
    public static List<RequestEvent> EventsOfRequest(this WriteSession session, string requestId) => session.Rows(
        """
        SELECT Id, ReceivedAt, EventType, TypeSource, AccountId, AccountSource, Status, ErrorCode, Message
        FROM Events WHERE RequestId = $r ORDER BY Id
        """,
        r => new RequestEvent(r.GetInt64(0), r.GetInt64(1), r.GetString(2), Enum.Parse<DerivationSource>(r.GetString(3)), r.NullableString(4),
            Enum.Parse<DerivationSource>(r.GetString(5)), r.NullableString(6), r.NullableString(7), r.NullableString(8)),
        ("$r", requestId));

    /// <summary>Gives a stored event the type and account a known request derives.</summary>
    public static void SetEventDerivation(this WriteSession session, long eventId, string eventType, DerivationSource typeSource, string? status,
        string? accountId, DerivationSource accountSource) => session.Execute(
        "UPDATE Events SET EventType = $t, TypeSource = $ts, Status = $s, AccountId = $a, AccountSource = $as WHERE Id = $id",
        ("$t", eventType), ("$ts", typeSource.ToString()), ("$s", status), ("$a", accountId), ("$as", accountSource.ToString()), ("$id", eventId));

    /// <summary>When the account's login state last changed (null for none or no account): a late event must not override a newer state.</summary>
    public static long? LoginStateChangedAt(this WriteSession session, string accountId) =>
        session.Scalar<long?>("SELECT StateChangedAt FROM Accounts WHERE AccountId = $a", ("$a", accountId));

    /// <summary>Records a request the dashboard made; an existing one keeps an account it had.</summary>
    public static void UpsertDashboardRequest(this WriteSession session, string requestId, string accountId, string action, long now) => session.Execute(
        """
        INSERT INTO Requests (RequestId, AccountId, Action, Source, CreatedAt) VALUES ($r, $a, $action, $source, $now)
        ON CONFLICT (RequestId) DO UPDATE SET AccountId = COALESCE(Requests.AccountId, excluded.AccountId), Action = excluded.Action
        """,
        ("$r", requestId), ("$a", accountId), ("$action", action), ("$source", nameof(RequestSource.Dashboard)), ("$now", now));

    /// <summary>
    /// Records a request seen in a webhook. It keeps the first account it learns; one that came from a
    /// URL hint stays a hint for its later events (see <see cref="FindRequest"/>) and a signed source
    /// (a body field, <paramref name="authenticated"/>) replaces it.
    /// </summary>
    public static void UpsertObservedRequest(this WriteSession session, string requestId, string? accountId, string action, long now, bool authenticated) =>
        session.Execute(
            $"""
            INSERT INTO Requests (RequestId, AccountId, Action, Source, CreatedAt) VALUES ($r, $a, $action, $observed, $now)
            ON CONFLICT (RequestId) DO UPDATE SET AccountId = CASE
                    WHEN $authenticated = 1 AND excluded.AccountId IS NOT NULL AND Requests.Source = $observed
                         AND NOT EXISTS (SELECT 1 FROM Events e WHERE e.RequestId = Requests.RequestId AND e.AccountId = Requests.AccountId
                                         AND e.AccountSource IN {EventSql.AuthenticatedSources})
                    THEN excluded.AccountId ELSE COALESCE(Requests.AccountId, excluded.AccountId) END,
                                                  Action = COALESCE(Requests.Action, excluded.Action)
            """,
            ("$r", requestId), ("$a", accountId), ("$action", action), ("$observed", Observed), ("$now", now), ("$authenticated", authenticated ? 1 : 0));

    /// <summary>Records a registered request: its account replaces any, an observed one becomes registered.</summary>
    public static void UpsertRegisteredRequest(this WriteSession session, string requestId, string accountId, string? action, long now) => session.Execute(
        """
        INSERT INTO Requests (RequestId, AccountId, Action, Source, CreatedAt) VALUES ($r, $a, $action, $registered, $now)
        ON CONFLICT (RequestId) DO UPDATE SET AccountId = excluded.AccountId,
            Action = CASE WHEN Requests.Source = $observed THEN excluded.Action ELSE COALESCE(Requests.Action, excluded.Action) END,
            Source = CASE WHEN Requests.Source = $observed THEN $registered ELSE Requests.Source END
        """,
        ("$r", requestId), ("$a", accountId), ("$action", action), ("$registered", nameof(RequestSource.Registered)), ("$observed", Observed), ("$now", now));
}
