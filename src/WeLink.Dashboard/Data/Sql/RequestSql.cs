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
        INSERT INTO Requests (RequestId, AccountId, Action, Source, CreatedAt, Attempts) VALUES ($r, NULL, $action, $observed, $now, 0)
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
        INSERT INTO Requests (RequestId, AccountId, Action, Source, CreatedAt, Attempts) VALUES ($r, $a, $action, $source, $now, 0)
        ON CONFLICT (RequestId) DO UPDATE SET AccountId = COALESCE(Requests.AccountId, excluded.AccountId), Action = excluded.Action
        """,
        ("$r", requestId), ("$a", accountId), ("$action", action), ("$source", nameof(RequestSource.Dashboard)), ("$now", now));

    /// <summary>
    /// Records a request seen in a webhook. It keeps the first account it learns; one that came from a
    /// URL hint stays a hint for its later events (see <see cref="FindRequest"/>) and a signed source
    /// (a body field, <paramref name="authenticated"/>) replaces it.
    /// </summary>
    /// <returns>
    /// When the request started (its CreatedAt), which the account's login state needs, where the write answers it
    /// (PostgreSQL); null on SQLite, which runs the upsert without <c>RETURNING</c> (no statement journal, see
    /// <see cref="WriteSession.InsertReturningId"/>): <see cref="AccountSql.RequestStartedAt"/> reads it when it is needed.
    /// </returns>
    public static long? UpsertObservedRequest(this WriteSession session, string requestId, string? accountId, string action, long now, bool authenticated)
    {
        ReadOnlySpan<(string Name, object? Value)> parameters =
            [("$r", requestId), ("$a", accountId), ("$action", action), ("$observed", Observed), ("$now", now), ("$authenticated", authenticated ? 1 : 0)];
        if (!session.Dialect.IsSqlite) return session.Scalar<long>(UpsertObserved, parameters);
        session.ExecuteWithoutReturning(UpsertObserved, parameters);
        return null;
    }

    private const string UpsertObserved =
            $"""
            INSERT INTO Requests (RequestId, AccountId, Action, Source, CreatedAt, Attempts) VALUES ($r, $a, $action, $observed, $now, 0)
            ON CONFLICT (RequestId) DO UPDATE SET AccountId = CASE
                    WHEN $authenticated = 1 AND excluded.AccountId IS NOT NULL AND Requests.Source = $observed
                         AND NOT EXISTS (SELECT 1 FROM Events e WHERE e.RequestId = Requests.RequestId AND e.AccountId = Requests.AccountId
                                         AND e.AccountSource IN {EventSql.AuthenticatedSources})
                    THEN excluded.AccountId ELSE COALESCE(Requests.AccountId, excluded.AccountId) END,
                                                  Action = COALESCE(Requests.Action, excluded.Action)
            RETURNING CreatedAt
            """;

    /// <summary>Records a registered request: its account replaces any, an observed one becomes registered.</summary>
    public static void UpsertRegisteredRequest(this WriteSession session, string requestId, string accountId, string? action, long now) => session.Execute(
        """
        INSERT INTO Requests (RequestId, AccountId, Action, Source, CreatedAt, Attempts) VALUES ($r, $a, $action, $registered, $now, 0)
        ON CONFLICT (RequestId) DO UPDATE SET AccountId = excluded.AccountId,
            Action = CASE WHEN Requests.Source = $observed THEN excluded.Action ELSE COALESCE(Requests.Action, excluded.Action) END,
            Source = CASE WHEN Requests.Source = $observed THEN $registered ELSE Requests.Source END
        """,
        ("$r", requestId), ("$a", accountId), ("$action", action), ("$registered", nameof(RequestSource.Registered)), ("$observed", Observed), ("$now", now));

    // ---- Request tracking: every statement below reads Requests by key or by its (State, NextPollAt) index, never Events.

    private const string Waiting = nameof(RequestState.Waiting);
    private const string PinRequired = nameof(RequestState.PinRequired);
    private const string PinSubmitted = nameof(RequestState.PinSubmitted);
    private const string Done = nameof(RequestState.Done);
    private const string Overdue = nameof(RequestState.Overdue);
    private const string Missing = nameof(RequestState.Missing);
    private const string Lost = nameof(RequestState.Lost);

    /// <summary>Starts following a request the gateway made or an operator registered: Waiting until <paramref name="dueAt"/>. A tracked one keeps its state.</summary>
    public static bool StartTracking(this WriteSession session, string requestId, string? caller, long now, long dueAt) => session.Execute(
        """
        UPDATE Requests SET State = $waiting, Caller = COALESCE(Caller, $caller), RequestedAt = $now, StateSince = $now, NextPollAt = $due, Attempts = 0
        WHERE RequestId = $r AND State IS NULL
        """,
        ("$waiting", Waiting), ("$caller", caller), ("$now", now), ("$due", dueAt), ("$r", requestId)) > 0;

    /// <summary>
    /// A stored event of a tracked request moves it on: a PIN request makes it wait for the PIN, any
    /// other event settles it (the first one is its outcome; a reply after it changes nothing).
    /// </summary>
    public static bool AdvanceTrackedRequest(this WriteSession session, string requestId, string eventType, long eventId, long now)
    {
        var advanced = AdvanceState(session, requestId, eventType, eventId, now);
        // A late result for a request given up: its RequestLost alert may clear, in the same transaction.
        if (advanced) Features.Alerts.AlertRaiser.RequestSettled(session, requestId, now);
        return advanced;
    }

    private static bool AdvanceState(WriteSession session, string requestId, string eventType, long eventId, long now) =>
        eventType == EventTypes.LoginPinRequired
            ? session.Execute(
                $"UPDATE Requests SET State = $pin, StateSince = $now WHERE RequestId = $r AND State IN ('{Waiting}', '{Overdue}', '{Missing}', '{Lost}')",
                ("$pin", PinRequired), ("$now", now), ("$r", requestId)) > 0
            : session.Execute(
                "UPDATE Requests SET State = $done, StateSince = $now, OutcomeEventId = $e, NextPollAt = NULL WHERE RequestId = $r AND State IS NOT NULL AND State <> $done",
                ("$done", Done), ("$now", now), ("$e", eventId), ("$r", requestId)) > 0;

    /// <summary>A PIN went to We-Link for the login: it waits for the login's outcome.</summary>
    public static bool MarkRequestPinSubmitted(this WriteSession session, string requestId, long now) => session.Execute(
        $"UPDATE Requests SET State = $submitted, StateSince = $now WHERE RequestId = $r AND State IN ('{PinRequired}', '{Overdue}', '{Missing}')",
        ("$submitted", PinSubmitted), ("$now", now), ("$r", requestId)) > 0;

    /// <summary>
    /// Waiting requests past their due time, and submitted PINs with no outcome for <paramref name="overdueAfterMs"/>,
    /// become Overdue (due for get_response at once); open requests older than <paramref name="giveUpBefore"/> become Lost.
    /// </summary>
    public static (List<string> Lost, List<string> Overdue) AgeTrackedRequests(this WriteSession session, long now, long overdueAfterMs, long giveUpBefore)
    {
        var lost = session.Rows(
            $"""
            UPDATE Requests SET State = $lost, StateSince = $now, NextPollAt = NULL
            WHERE {DueToBeLost}
            RETURNING RequestId
            """,
            r => r.GetString(0), ("$lost", Lost), ("$now", now), ("$cutoff", giveUpBefore));
        var overdue = session.Rows(
            $"""
            UPDATE Requests SET State = $overdue, StateSince = $now, NextPollAt = $now
            WHERE {DueToBeOverdue}
            RETURNING RequestId
            """,
            r => r.GetString(0), ("$overdue", Overdue), ("$now", now), ("$span", overdueAfterMs));
        return (lost, overdue);
    }

    /// <summary>Overdue and missing requests whose next get_response is due, the longest due first.</summary>
    public static List<string> DueForPoll(this WriteSession session, long now, int limit) => session.Rows(
        $"SELECT RequestId FROM Requests WHERE {DueToBePolled} ORDER BY NextPollAt LIMIT $n",
        r => r.GetString(0), ("$now", now), ("$n", limit));

    // The conditions the writes above go by, shared with AnyDueAsync's read ($now, $cutoff, $span).
    private const string DueToBeLost =
        $"State IN ('{Waiting}', '{PinRequired}', '{PinSubmitted}', '{Overdue}', '{Missing}') AND RequestedAt <= $cutoff";

    private const string DueToBeOverdue = $"(State = '{Waiting}' AND NextPollAt <= $now) OR (State = '{PinSubmitted}' AND StateSince <= $now - $span)";

    private const string DueToBePolled = $"State IN ('{Overdue}', '{Missing}') AND NextPollAt <= $now";

    /// <summary>
    /// Whether <see cref="AgeTrackedRequests"/> has a request to age, and whether <see cref="DueForPoll"/>
    /// has one to ask for, by the same conditions: one read on a reader's connection (the (State,
    /// NextPollAt) index), so an idle tracker queues no writer work.
    /// </summary>
    public static async Task<(bool Age, bool Poll)> AnyDueAsync(System.Data.Common.DbConnection connection, long now, long overdueAfterMs, long giveUpBefore,
        CancellationToken cancellationToken)
    {
        var dialect = SqlDialect.For(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = dialect.Translate(AnyDueSql);
        foreach (var (name, value) in new (string, long)[] { ("$now", now), ("$cutoff", giveUpBefore), ("$span", overdueAfterMs) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = dialect.ParameterName(name);
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetBoolean(0), reader.GetBoolean(1));
    }

    private const string AnyDueSql =
        $"""
        SELECT EXISTS (SELECT 1 FROM Requests WHERE {DueToBeLost}) OR EXISTS (SELECT 1 FROM Requests WHERE {DueToBeOverdue}),
               EXISTS (SELECT 1 FROM Requests WHERE {DueToBePolled})
        """;

    /// <summary>
    /// Records a get_response that found nothing (<paramref name="missing"/>: the request turns or stays
    /// Missing) or got no answer (its state stays), and when to ask again. Answers the attempts so far.
    /// </summary>
    public static int? RecordPoll(this WriteSession session, string requestId, bool missing, long now, Func<int, long> nextPollAt)
    {
        var attempts = session.Scalar<long?>(RecordPollSql.For(session.Dialect), ("$r", requestId));
        if (attempts is not { } before) return null;
        var after = (int)before + 1;
        session.Execute(
            $"""
            UPDATE Requests SET Attempts = $attempts, NextPollAt = $next,
                StateSince = CASE WHEN $missing = 1 AND State <> '{Missing}' THEN $now ELSE StateSince END,
                State = CASE WHEN $missing = 1 THEN '{Missing}' ELSE State END
            WHERE RequestId = $r
            """,
            ("$attempts", after), ("$next", nextPollAt(after)), ("$missing", missing ? 1 : 0), ("$now", now), ("$r", requestId));
        return after;
    }

    private static readonly DialectSql RecordPollSql = new(d =>
        $"SELECT Attempts FROM Requests WHERE RequestId = $r AND State IN ('{Overdue}', '{Missing}'){d.ForUpdate}");

    /// <summary>Counts a get_response that found the result (stored as its event, which settled the request).</summary>
    public static void CountPollAttempt(this WriteSession session, string requestId) =>
        session.Execute("UPDATE Requests SET Attempts = Attempts + 1 WHERE RequestId = $r", ("$r", requestId));
}
