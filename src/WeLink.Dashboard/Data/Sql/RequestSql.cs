using WeLink.Webhooks;

namespace WeLink.Dashboard.Data.Sql;

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
                    THEN 1 ELSE 0 END
        FROM Requests WHERE RequestId = $r
        """,
        r => new KnownRequest(requestId, r.NullableString(0), r.NullableString(1), r.GetInt64(2) == 1),
        ("$observed", Observed), ("$r", requestId));

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
