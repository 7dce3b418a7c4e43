using WeLink.Webhooks;

namespace WeLink.Dashboard.Data.Sql;

/// <summary>An event as stored, before its projections.</summary>
public sealed record NewEventRow(
    long Now, byte[] ContentDigest, string EventType, DerivationSource TypeSource, string? AccountId, DerivationSource AccountSource,
    string? Status, string? RequestId, string? ErrorCode, string? Message, SignatureOutcome Signature, byte[] RawBody);

/// <summary>A redelivery counted on the stored event.</summary>
public sealed record RedeliveredEvent(long Id, int DeliveryCount, string EventType, string? AccountId);

/// <summary>An event a registration may move to its account.</summary>
public sealed record MovableEvent(long Id, long At, string EventType, string? ErrorCode, string? AccountId);

/// <summary>Statements on <c>Events</c> and the list of deleted events its search index has to forget.</summary>
internal static class EventSql
{
    /// <summary>Attribution sources that are signed (the body, or a request the dashboard knows), as an SQL list.</summary>
    public const string AuthenticatedSources =
        $"('{nameof(DerivationSource.Explicit)}', '{nameof(DerivationSource.Correlated)}', '{nameof(DerivationSource.Conflicting)}')";

    private const string UnauthenticatedSources =
        $"('{nameof(DerivationSource.Hinted)}', '{nameof(DerivationSource.Inferred)}', '{nameof(DerivationSource.Unknown)}')";

    /// <summary>Inserts the event; null when its content digest is already stored (a redelivery).</summary>
    public static long? InsertEvent(this WriteSession session, NewEventRow e) =>
        session.InsertReturningId(
            """
            INSERT INTO Events (ReceivedAt, LastDeliveredAt, DeliveryCount, BodySha256, EventType, TypeSource, AccountId, AccountSource,
                                Status, RequestId, ErrorCode, Message, Signature, RawBody)
            VALUES ($now, $now, 1, $sha, $type, $typeSource, $account, $accountSource, $status, $request, $error, $message, $signature, $raw)
            ON CONFLICT (BodySha256) DO NOTHING
            RETURNING Id
            """,
            ("$now", e.Now), ("$sha", e.ContentDigest), ("$type", e.EventType), ("$typeSource", e.TypeSource.ToString()), ("$account", e.AccountId),
            ("$accountSource", e.AccountSource.ToString()), ("$status", e.Status), ("$request", e.RequestId), ("$error", e.ErrorCode),
            ("$message", e.Message), ("$signature", e.Signature.ToString()), ("$raw", e.RawBody));

    /// <summary>
    /// Counts a redelivery on the stored event with the same content digest. A signed delivery of an
    /// event fetched with get_response upgrades it to the delivery's signature outcome.
    /// </summary>
    public static RedeliveredEvent CountRedelivery(this WriteSession session, byte[] contentDigest, long now, SignatureOutcome signature) =>
        session.Row(
            """
            UPDATE Events SET DeliveryCount = DeliveryCount + 1, LastDeliveredAt = $now,
                              Signature = CASE WHEN Signature = $fetched THEN $signature ELSE Signature END
            WHERE BodySha256 = $sha RETURNING Id, DeliveryCount, EventType, AccountId
            """,
            r => new RedeliveredEvent(r.GetInt64(0), r.GetInt32(1), r.GetString(2), r.NullableString(3)),
            ("$now", now), ("$fetched", nameof(SignatureOutcome.Fetched)), ("$signature", signature.ToString()), ("$sha", contentDigest))!;

    /// <summary>The stored event with this content digest, if any (a fetched copy of what is already stored is no delivery).</summary>
    public static RedeliveredEvent? FindEventByDigest(this WriteSession session, byte[] contentDigest) =>
        session.Row(
            "SELECT Id, DeliveryCount, EventType, AccountId FROM Events WHERE BodySha256 = $sha",
            r => new RedeliveredEvent(r.GetInt64(0), r.GetInt32(1), r.GetString(2), r.NullableString(3)),
            ("$sha", contentDigest));

    /// <summary>The request's events attributed by a hint, a guess or nothing.</summary>
    public static List<MovableEvent> UnauthenticatedEventsOf(this WriteSession session, string requestId) => session.Rows(
        $"SELECT Id, ReceivedAt, EventType, ErrorCode, AccountId FROM Events WHERE RequestId = $r AND AccountSource IN {UnauthenticatedSources}",
        r => new MovableEvent(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.NullableString(3), r.NullableString(4)),
        ("$r", requestId));

    /// <summary>The request's events whose body names another account than <paramref name="accountId"/> show the conflict.</summary>
    public static void MarkConflictingEvents(this WriteSession session, string requestId, string accountId) => session.Execute(
        "UPDATE Events SET AccountSource = $conflicting WHERE RequestId = $r AND AccountSource = $explicit AND AccountId <> $a",
        ("$conflicting", nameof(DerivationSource.Conflicting)), ("$r", requestId), ("$explicit", nameof(DerivationSource.Explicit)), ("$a", accountId));

    public static void SetCorrelatedAccount(this WriteSession session, long eventId, string accountId) => session.Execute(
        "UPDATE Events SET AccountId = $a, AccountSource = $correlated WHERE Id = $id",
        ("$a", accountId), ("$correlated", nameof(DerivationSource.Correlated)), ("$id", eventId));

    /// <summary>
    /// Forgets the ids (a JSON array) of deleted events that the search index, in its own file, no longer holds
    /// (see <see cref="SearchIndexFile.DeleteRetainedEvents"/>). SQLite only: PostgreSQL's index is on <c>Events</c>.
    /// </summary>
    public static int ForgetSearchDeletions(this WriteSession session, string idsJson) => !session.Dialect.HasSearchTable ? 0 : session.Execute(
        "DELETE FROM EventSearchDeletions WHERE Id IN (SELECT value FROM json_each($ids))",
        ("$ids", idsJson));
}
