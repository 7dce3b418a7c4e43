using WeLink.Dashboard.Data;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Ingest;

/// <summary>A verified, parsed delivery ready for the writer.</summary>
public sealed record IngestRequest(
    byte[] RawBody,
    byte[] ContentDigest,
    WebhookEnvelope Envelope,
    WebhookHints Hints,
    SignatureOutcome Signature);

/// <param name="ConflictingAccountId">The account a known request names when the body names another (logged by the caller).</param>
public sealed record IngestOutcome(long EventId, bool Duplicate, int DeliveryCount, string EventType, string? AccountId, string? ConflictingAccountId = null);

/// <summary>Stores one delivery (or counts a redelivery) and updates every projection it changes, in the batch's transaction.</summary>
public sealed class StoreWebhookEvent(IngestRequest request, TimeSpan pinTimeout) : WriteOperation
{
    public override object? Apply(WriteSession session)
    {
        var now = session.NowMs;
        // New events are the common case: classify, then insert; the unique digest of the signed
        // content (whatever spacing or escapes it travelled with) turns a redelivery into no row,
        // and only then is it counted on the stored event. A redelivery changes nothing else: its
        // URL hints are not signed and never move what the first delivery attributed.
        var classification = WebhookClassifier.Classify(request.Envelope, request.Hints, new SessionLookup(session));
        var inserted = session.Command(
            """
            INSERT INTO Events (ReceivedAt, LastDeliveredAt, DeliveryCount, BodySha256, EventType, TypeSource, AccountId, AccountSource,
                                Status, RequestId, ErrorCode, Message, Signature, RawBody)
            VALUES ($now, $now, 1, $sha, $type, $typeSource, $account, $accountSource, $status, $request, $error, $message, $signature, $raw)
            ON CONFLICT (BodySha256) DO NOTHING
            RETURNING Id
            """,
            ("$now", now), ("$sha", request.ContentDigest), ("$type", classification.EventType),
            ("$typeSource", classification.TypeSource.ToString()), ("$account", classification.AccountId),
            ("$accountSource", classification.AccountSource.ToString()), ("$status", Truncate(classification.Status)),
            ("$request", Truncate(classification.RequestId)), ("$error", classification.ErrorCode),
            ("$message", Truncate(classification.Message, 2000)), ("$signature", request.Signature.ToString()),
            ("$raw", request.RawBody)).ExecuteScalar();
        if (inserted is not long id)
        {
            var existing = session.Command(
                "UPDATE Events SET DeliveryCount = DeliveryCount + 1, LastDeliveredAt = $now WHERE BodySha256 = $sha RETURNING Id, DeliveryCount, EventType, AccountId",
                ("$now", now), ("$sha", request.ContentDigest));
            using var reader = existing.ExecuteReader();
            reader.Read();
            var duplicate = new IngestOutcome(reader.GetInt64(0), true, reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            session.Publish(new LiveChange(LiveChangeKind.EventRedelivered, AccountId: duplicate.AccountId));
            return duplicate;
        }

        EventProjections.Apply(session, id, now, classification, request.Envelope, pinTimeout);

        session.Publish(new LiveChange(LiveChangeKind.EventReceived, new EventSummary(
            id, DateTimeOffset.FromUnixTimeMilliseconds(now), classification.EventType, classification.TypeSource,
            classification.AccountId, classification.AccountSource, classification.Status, classification.RequestId,
            classification.ErrorCode, classification.Message, request.Signature, 1), classification.AccountId));
        return new IngestOutcome(id, false, 1, classification.EventType, classification.AccountId, classification.ConflictingAccountId);
    }

    /// <summary>
    /// A request's account is authenticated when a registration or the dashboard recorded it, or a
    /// body field named it; an account a request only learnt from a URL hint is still a hint.
    /// </summary>
    public const string RequestLookupSql =
        """
        SELECT AccountId, Action,
               CASE WHEN Source <> 'Observed' OR EXISTS (SELECT 1 FROM Events e WHERE e.RequestId = Requests.RequestId
                         AND e.AccountId = Requests.AccountId AND e.AccountSource IN ('Explicit', 'Correlated', 'Conflicting'))
                    THEN 1 ELSE 0 END
        FROM Requests WHERE RequestId = $r
        """;

    private static string? Truncate(string? text, int max = 256) => text is null || text.Length <= max ? text : text[..max];

    /// <summary>Answers the classifier's look-ups from the writer's own transaction, so a batch sees its earlier events.</summary>
    private sealed class SessionLookup(WriteSession session) : IClassificationLookup
    {
        public KnownRequest? FindRequest(string requestId)
        {
            using var reader = session.Command(RequestLookupSql, ("$r", requestId)).ExecuteReader();
            return reader.Read()
                ? new KnownRequest(requestId, reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.GetInt64(2) == 1)
                : null;
        }

        public string? FindAccountByEmail(string email) =>
            session.Scalar<string>("SELECT AccountId FROM Accounts WHERE Email = $e LIMIT 1", ("$e", email.Trim().ToLowerInvariant()));

        public string? FindAccountByProfileId(string profileId) =>
            session.Scalar<string>("SELECT AccountId FROM Accounts WHERE ProfileId = $p LIMIT 1", ("$p", profileId));
    }
}
