namespace WeLink.Dashboard.Data.Sql;

/// <summary>A PIN request as the writer reads it.</summary>
public sealed record PinRequestRow(PinRequestStatus Status, long ExpiresAt, string? AccountId);

/// <summary>Statements on <c>PinRequests</c> and <c>PinSubmissions</c>.</summary>
internal static class PinSql
{
    private const string Pending = nameof(PinRequestStatus.Pending);
    private const string Submitted = nameof(PinRequestStatus.Submitted);
    private const string Expired = nameof(PinRequestStatus.Expired);

    private static readonly DialectSql FindPinRequestSql = new(d => $"SELECT Status, ExpiresAt, AccountId FROM PinRequests WHERE RequestId = $r{d.ForUpdate}");

    /// <summary>
    /// The request, locked until the batch commits on PostgreSQL: of two instances claiming it at once, the
    /// second reads it after the first committed (Submitted) and does not claim it again.
    /// </summary>
    public static PinRequestRow? FindPinRequest(this WriteSession session, string requestId) =>
        session.Row(FindPinRequestSql.For(session.Dialect),
            r => new PinRequestRow(Enum.Parse<PinRequestStatus>(r.GetString(0)), r.GetInt64(1), r.NullableString(2)), ("$r", requestId));

    public static PinRequestStatus? PinRequestStatusOf(this WriteSession session, string requestId) =>
        session.Scalar<string>("SELECT Status FROM PinRequests WHERE RequestId = $r", ("$r", requestId)) is { } status
            ? Enum.Parse<PinRequestStatus>(status) : null;

    /// <summary>Marks the request submitted, keeping its account or taking <paramref name="accountOverride"/>; returns its account.</summary>
    public static string MarkPinSubmitted(this WriteSession session, string requestId, string? accountOverride, string submittedBy, long now) =>
        session.Scalar<string>(
            $"""
            UPDATE PinRequests SET Status = $submitted, SubmittedAt = $now, SubmittedBy = $by, AccountId = COALESCE(AccountId, $a)
            WHERE RequestId = $r RETURNING AccountId
            """,
            ("$submitted", Submitted), ("$now", now), ("$by", submittedBy), ("$a", accountOverride), ("$r", requestId))!;

    /// <summary>Opens a submitted request again (We-Link did not take the PIN).</summary>
    public static void ReopenPinRequest(this WriteSession session, string requestId) => session.Execute(
        "UPDATE PinRequests SET Status = $pending, SubmittedAt = NULL, SubmittedBy = NULL WHERE RequestId = $r AND Status = $submitted",
        ("$pending", Pending), ("$r", requestId), ("$submitted", Submitted));

    public static void InsertPinSubmission(this WriteSession session, string requestId, string accountId, string submittedBy, long now,
        PinSubmissionOutcome outcome, string? detail) => session.Execute(
        """
        INSERT INTO PinSubmissions (RequestId, AccountId, SubmittedBy, SubmittedAt, Outcome, Detail)
        VALUES ($r, $a, $by, $now, $o, $d)
        """,
        ("$r", requestId), ("$a", accountId), ("$by", submittedBy), ("$now", now), ("$o", outcome.ToString()), ("$d", detail));

    /// <summary>Expires open requests past their time; returns them.</summary>
    public static List<(string RequestId, string? AccountId)> ExpirePinRequests(this WriteSession session, long now) => session.Rows(
        "UPDATE PinRequests SET Status = $expired, ResolvedAt = $now WHERE Status IN ($pending, $submitted) AND ExpiresAt <= $now RETURNING RequestId, AccountId",
        r => (r.GetString(0), r.NullableString(1)),
        ("$expired", Expired), ("$now", now), ("$pending", Pending), ("$submitted", Submitted));

    /// <summary>
    /// A new PIN request for the same login (e.g. after a wrong PIN) opens it again. Its account
    /// stays unless it came from a hint or a guess and this event's is authenticated.
    /// </summary>
    public static void UpsertPendingPinRequest(this WriteSession session, string requestId, string? accountId, long eventId, long now, long expiresAt,
        string? message, bool authenticated) => session.Execute(
        $"""
        INSERT INTO PinRequests (RequestId, AccountId, EventId, RequestedAt, ExpiresAt, Status, Message)
        VALUES ($r, $a, $id, $now, $exp, $pending, $m)
        ON CONFLICT (RequestId) DO UPDATE SET AccountId = CASE
                WHEN PinRequests.AccountId IS NULL THEN excluded.AccountId
                WHEN $authenticated = 1 AND (SELECT AccountSource FROM Events WHERE Id = PinRequests.EventId)
                     NOT IN {EventSql.AuthenticatedSources} THEN COALESCE(excluded.AccountId, PinRequests.AccountId)
                ELSE PinRequests.AccountId END,
            EventId = excluded.EventId, RequestedAt = excluded.RequestedAt, ExpiresAt = excluded.ExpiresAt,
            Status = $pending, SubmittedAt = NULL, SubmittedBy = NULL, ResolvedAt = NULL, OutcomeErrorCode = NULL,
            Message = excluded.Message
        """,
        ("$r", requestId), ("$a", accountId), ("$id", eventId), ("$now", now), ("$exp", expiresAt), ("$pending", Pending), ("$m", message),
        ("$authenticated", authenticated ? 1 : 0));

    /// <summary>Resolves a request with its outcome (a late one still counts); returns the rows changed.</summary>
    public static int ResolvePinRequest(this WriteSession session, string requestId, PinRequestStatus status, long now, string? errorCode, string? accountId) =>
        session.Execute(
            """
            UPDATE PinRequests SET Status = $s, ResolvedAt = $now, OutcomeErrorCode = $e, AccountId = COALESCE(AccountId, $a)
            WHERE RequestId = $r
            """,
            ("$s", status.ToString()), ("$now", now), ("$e", errorCode), ("$a", accountId), ("$r", requestId));

    /// <summary>Gives a sent submission the outcome the login webhook reported.</summary>
    public static void SetSentSubmissionOutcome(this WriteSession session, string requestId, PinSubmissionOutcome outcome) => session.Execute(
        "UPDATE PinSubmissions SET Outcome = $o WHERE RequestId = $r AND Outcome = $sent",
        ("$o", outcome.ToString()), ("$r", requestId), ("$sent", nameof(PinSubmissionOutcome.Sent)));

    /// <summary>Moves the request to <paramref name="accountId"/> unless it has an account from an authenticated source; returns the rows changed.</summary>
    public static int ReassignPinRequest(this WriteSession session, string requestId, string accountId) => session.Execute(
        $"""
        UPDATE PinRequests SET AccountId = $a
        WHERE RequestId = $r AND (AccountId IS NULL OR (AccountId <> $a AND
              (SELECT AccountSource FROM Events WHERE Id = PinRequests.EventId) NOT IN {EventSql.AuthenticatedSources}))
        """,
        ("$a", accountId), ("$r", requestId));
}
