using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
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
public sealed class StoreWebhookEvent(IngestRequest request, TimeSpan pinTimeout) : WriteOperation<IngestOutcome>
{
    public override IngestOutcome Apply(WriteSession session)
    {
        var now = session.NowMs;
        // New events are the common case: classify, then insert; the unique digest of the signed
        // content (whatever spacing or escapes it travelled with) turns a redelivery into no row,
        // and only then is it counted on the stored event. A redelivery changes nothing else: its
        // URL hints are not signed and never move what the first delivery attributed.
        if (request.Signature == SignatureOutcome.Fetched && session.FindEventByDigest(request.ContentDigest) is { } stored)
        {
            // get_response answered what a delivery already brought: nothing was delivered, nothing is counted.
            return new IngestOutcome(stored.Id, true, stored.DeliveryCount, stored.EventType, stored.AccountId);
        }
        var classifyStart = System.Diagnostics.Stopwatch.GetTimestamp();
        var classification = WebhookClassifier.Classify(request.Envelope, request.Hints, new SessionLookup(session));
        IngestMetrics.Record(IngestMetrics.Classify, IngestMetrics.ClassifyStage, classifyStart);
        var inserted = session.InsertEvent(new NewEventRow(
            now, request.ContentDigest, classification.EventType, classification.TypeSource, classification.AccountId,
            classification.AccountSource, Truncate(classification.Status), Truncate(classification.RequestId), classification.ErrorCode,
            Truncate(classification.Message, 2000), request.Signature, request.RawBody));
        if (inserted is not { } id)
        {
            var existing = session.CountRedelivery(request.ContentDigest, now, request.Signature);
            var duplicate = new IngestOutcome(existing.Id, true, existing.DeliveryCount, existing.EventType, existing.AccountId);
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

    internal override void CollectLockKeys(List<long> keys)
    {
        keys.Add(WriteLocks.Event(request.ContentDigest));
        if ((request.Envelope.ExplicitAccountId ?? request.Hints.AccountId) is { } accountId) keys.Add(WriteLocks.Account(accountId));
        if (request.Envelope.RequestId is { } requestId) keys.Add(WriteLocks.Request(requestId));
    }

    private static string? Truncate(string? text, int max = 256) => text is null || text.Length <= max ? text : text[..max];

    /// <summary>Answers the classifier's look-ups from the writer's own transaction, so a batch sees its earlier events.</summary>
    private sealed class SessionLookup(WriteSession session) : IClassificationLookup
    {
        public KnownRequest? FindRequest(string requestId) => session.FindRequest(requestId);

        public string? FindAccountByEmail(string email) => session.FindAccountByEmail(email.Trim().ToLowerInvariant());

        public string? FindAccountByProfileId(string profileId) => session.FindAccountByProfileId(profileId);
    }
}
