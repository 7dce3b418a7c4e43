namespace WeLink.Dashboard.Data.Sql;

/// <summary>An alert as the writer reads it.</summary>
public sealed record OpenAlertRow(long Id, string Rule, string? AccountId, string? Subject, long OpenedAt, long? RemindedAt);

/// <summary>A message waiting to be fanned out to the channels.</summary>
public sealed record UndispatchedAlertMessage(long Id, string Rule, string? AccountId, string? Channel);

/// <summary>Statements on <c>Alerts</c>, <c>AlertMessages</c>, <c>AlertDeliveries</c> and <c>AlertRejectionCounts</c>.</summary>
internal static class AlertSql
{
    private const string Pending = nameof(PinRequestStatus.Pending);
    private const string Submitted = nameof(PinRequestStatus.Submitted);

    private static OpenAlertRow ReadAlert(System.Data.Common.DbDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.NullableString(2), r.NullableString(3), r.GetInt64(4), r.IsDBNull(5) ? null : r.GetInt64(5));

    /// <summary>The open alert of <paramref name="rule"/> for the account (null matches null), if any.</summary>
    public static OpenAlertRow? FindOpenAlert(this WriteSession session, string rule, string? accountId) => session.Row(
        "SELECT Id, Rule, AccountId, Subject, OpenedAt, RemindedAt FROM Alerts WHERE Rule = $rule AND AccountId IS $a AND ResolvedAt IS NULL LIMIT 1",
        ReadAlert, ("$rule", rule), ("$a", accountId));

    /// <summary>The open alert of <paramref name="rule"/> about <paramref name="subject"/> with no account.</summary>
    public static OpenAlertRow? FindOpenAlertBySubject(this WriteSession session, string rule, string subject) => session.Row(
        OpenAlertBySubjectSql, ReadAlert, ("$rule", rule), ("$s", subject));

    /// <summary>
    /// Read for every PIN request with no known account: through the (Rule, Subject, LastRaisedAt) index of alerts with no
    /// account it visits the subject's alerts only, however many such alerts are open or were closed.
    /// </summary>
    internal const string OpenAlertBySubjectSql =
        "SELECT Id, Rule, AccountId, Subject, OpenedAt, RemindedAt FROM Alerts WHERE Rule = $rule AND AccountId IS NULL AND Subject = $s AND ResolvedAt IS NULL LIMIT 1";

    /// <summary>The open RequestLost alert of the request's account (null account for a request with none), if any.</summary>
    public static OpenAlertRow? OpenRequestLostAlertFor(this WriteSession session, string requestId) => session.Row(
        """
        SELECT Id, Rule, AccountId, Subject, OpenedAt, RemindedAt FROM Alerts
        WHERE Rule = $rule AND ResolvedAt IS NULL AND AccountId IS (SELECT AccountId FROM Requests WHERE RequestId = $r) LIMIT 1
        """,
        ReadAlert, ("$rule", Features.Alerts.AlertRules.RequestLost), ("$r", requestId));

    /// <summary>The account a request belongs to, if known.</summary>
    public static string? RequestAccount(this WriteSession session, string requestId) =>
        session.Scalar<string>("SELECT AccountId FROM Requests WHERE RequestId = $r", ("$r", requestId));

    /// <summary>Whether a request of the account turned Lost at or after <paramref name="since"/> and still is (the (State, NextPollAt) index).</summary>
    public static bool HasLostRequestSince(this WriteSession session, string? accountId, long since) => session.Scalar<long>(
        "SELECT EXISTS (SELECT 1 FROM Requests WHERE State = $lost AND AccountId IS $a AND StateSince >= $since)",
        ("$lost", nameof(RequestState.Lost)), ("$a", accountId), ("$since", since)) == 1;

    /// <summary>The open alerts of <paramref name="rule"/> after <paramref name="afterId"/>, at most <paramref name="limit"/>, oldest first.</summary>
    public static List<OpenAlertRow> OpenAlerts(this WriteSession session, string rule, long afterId = 0, int limit = int.MaxValue) => session.Rows(
        "SELECT Id, Rule, AccountId, Subject, OpenedAt, RemindedAt FROM Alerts WHERE ResolvedAt IS NULL AND Rule = $rule AND Id > $after ORDER BY Id LIMIT $limit",
        ReadAlert, ("$rule", rule), ("$after", afterId), ("$limit", limit));

    /// <summary>When <paramref name="rule"/> last raised an alert about <paramref name="subject"/>, for its cooldown.</summary>
    public static long? LastRaisedAt(this WriteSession session, string rule, string? subject) => session.Scalar<long?>(
        LastRaisedAtSql, ("$rule", rule), ("$s", subject));

    /// <summary>Through the same index as <see cref="OpenAlertBySubjectSql"/>: the subject's alerts, not every alert of the rule.</summary>
    internal const string LastRaisedAtSql = "SELECT MAX(LastRaisedAt) FROM Alerts WHERE Rule = $rule AND AccountId IS NULL AND Subject IS $s";

    public static long OpenAlert(this WriteSession session, string rule, string? accountId, string? subject, long now, long? count, bool closed) =>
        session.Scalar<long>(
            """
            INSERT INTO Alerts (Rule, AccountId, Subject, OpenedAt, LastRaisedAt, Count, ResolvedAt)
            VALUES ($rule, $a, $s, $now, $now, $n, CASE WHEN $closed = 1 THEN $now END) RETURNING Id
            """,
            ("$rule", rule), ("$a", accountId), ("$s", subject), ("$now", now), ("$n", count), ("$closed", closed ? 1 : 0));

    public static void SetAlertSubject(this WriteSession session, long alertId, string? subject) =>
        session.Execute("UPDATE Alerts SET Subject = $s WHERE Id = $id", ("$s", subject), ("$id", alertId));

    public static void MarkReminded(this WriteSession session, long alertId, long now) =>
        session.Execute("UPDATE Alerts SET RemindedAt = $now, LastRaisedAt = $now WHERE Id = $id", ("$now", now), ("$id", alertId));

    public static void CloseAlert(this WriteSession session, long alertId, long now) =>
        session.Execute("UPDATE Alerts SET ResolvedAt = $now WHERE Id = $id AND ResolvedAt IS NULL", ("$now", now), ("$id", alertId));

    public static void InsertAlertMessage(this WriteSession session, long alertId, AlertMessageKind kind, string rule, string? accountId, string? subject,
        long? count, long at, string? channel = null) => session.Execute(
        """
        INSERT INTO AlertMessages (AlertId, Kind, Rule, AccountId, Subject, Count, At, Channel)
        VALUES ($id, $k, $rule, $a, $s, $n, $at, $c)
        """,
        ("$id", alertId), ("$k", kind.ToString()), ("$rule", rule), ("$a", accountId), ("$s", subject), ("$n", count), ("$at", at), ("$c", channel));

    /// <summary>Whether the account (or, with none, the request itself) still has a PIN request waiting for an answer.</summary>
    public static bool HasWaitingPin(this WriteSession session, string? accountId, string? requestId, long now) => accountId is not null
        ? session.Scalar<long>(WaitingPinOfAccountSql, ("$a", accountId), ("$p", Pending), ("$s", Submitted), ("$now", now)) == 1
        : session.Scalar<long>(
            "SELECT EXISTS (SELECT 1 FROM PinRequests WHERE RequestId = $r AND Status IN ($p, $s) AND ExpiresAt > $now)",
            ("$r", requestId), ("$p", Pending), ("$s", Submitted), ("$now", now)) == 1;

    /// <summary>
    /// Read on every login change of an account with an open PIN alert: through (AccountId, Status, ExpiresAt) it
    /// visits only the account's waiting requests, not the hundreds it has answered over the weeks.
    /// </summary>
    internal const string WaitingPinOfAccountSql =
        "SELECT EXISTS (SELECT 1 FROM PinRequests WHERE AccountId = $a AND Status IN ($p, $s) AND ExpiresAt > $now)";

    /// <summary>The status of a PIN request, as text (Pending, Submitted, Succeeded, Failed, Expired), or null.</summary>
    public static string? PinStatusText(this WriteSession session, string? requestId) => requestId is null ? null
        : session.Scalar<string>("SELECT Status FROM PinRequests WHERE RequestId = $r", ("$r", requestId));

    public static long AddAlertRejections(this WriteSession session, long minute, long count, long since)
    {
        session.Execute(
            "INSERT INTO AlertRejectionCounts (Minute, Count) VALUES ($m, $n) ON CONFLICT (Minute) DO UPDATE SET Count = AlertRejectionCounts.Count + excluded.Count",
            ("$m", minute), ("$n", count));
        // Old minutes serve no window: the table stays a few rows long.
        session.Execute("DELETE FROM AlertRejectionCounts WHERE Minute < $old", ("$old", since - EventCounters.DayMs));
        return session.Scalar<long>("SELECT COALESCE(SUM(Count), 0) FROM AlertRejectionCounts WHERE Minute >= $since", ("$since", since));
    }

    public static List<UndispatchedAlertMessage> UndispatchedAlertMessages(this WriteSession session, int limit) => session.Rows(
        "SELECT Id, Rule, AccountId, Channel FROM AlertMessages WHERE DispatchedAt IS NULL ORDER BY Id LIMIT $limit",
        r => new UndispatchedAlertMessage(r.GetInt64(0), r.GetString(1), r.NullableString(2), r.NullableString(3)), ("$limit", limit));

    public static void InsertAlertDelivery(this WriteSession session, long messageId, string channel, string accountKey, long now) => session.Execute(
        """
        INSERT INTO AlertDeliveries (MessageId, Channel, AccountKey, Status, Attempts, CreatedAt, NextAttemptAt)
        VALUES ($m, $c, $a, $pending, 0, $now, $now)
        """,
        ("$m", messageId), ("$c", channel), ("$a", accountKey), ("$pending", nameof(AlertDeliveryStatus.Pending)), ("$now", now));

    public static void MarkAlertMessageDispatched(this WriteSession session, long messageId, long now) =>
        session.Execute("UPDATE AlertMessages SET DispatchedAt = $now WHERE Id = $id", ("$now", now), ("$id", messageId));

    public static int MarkAlertDelivered(this WriteSession session, long deliveryId, long now, int? statusCode) => session.Execute(
        """
        UPDATE AlertDeliveries SET Status = $delivered, Attempts = Attempts + 1, LastAttemptAt = $now, DeliveredAt = $now,
            LastStatusCode = $code, LastError = NULL
        WHERE Id = $id AND Status = $pending
        """,
        ("$delivered", nameof(AlertDeliveryStatus.Delivered)), ("$now", now), ("$code", statusCode), ("$id", deliveryId),
        ("$pending", nameof(AlertDeliveryStatus.Pending)));

    public static int MarkAlertAttemptFailed(this WriteSession session, long deliveryId, long now, int? statusCode, string error, long nextAttemptAt) =>
        session.Execute(
            """
            UPDATE AlertDeliveries SET Attempts = Attempts + 1, LastAttemptAt = $now, LastStatusCode = $code, LastError = $e, NextAttemptAt = $next
            WHERE Id = $id AND Status = $pending
            """,
            ("$now", now), ("$code", statusCode), ("$e", error), ("$next", nextAttemptAt), ("$id", deliveryId),
            ("$pending", nameof(AlertDeliveryStatus.Pending)));

    /// <summary>Pending deliveries to channels no longer configured: kept in the log, never sent.</summary>
    public static int AbandonAlertDeliveries(this WriteSession session, string channel, long now) => session.Execute(
        "UPDATE AlertDeliveries SET Status = $abandoned, LastError = 'channel no longer configured', LastAttemptAt = $now WHERE Status = $pending AND Channel = $c",
        ("$abandoned", nameof(AlertDeliveryStatus.Abandoned)), ("$now", now), ("$pending", nameof(AlertDeliveryStatus.Pending)), ("$c", channel));
}
