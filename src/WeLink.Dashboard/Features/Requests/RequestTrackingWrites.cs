using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Alerts;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Requests;

/// <summary>Turns waiting requests Overdue and old open ones Lost, from the (State, NextPollAt) index; answers how many changed.</summary>
public sealed class AgeTrackedRequests(TimeSpan overdueAfter, TimeSpan giveUpAfter) : WriteOperation<int>
{
    public override int Apply(WriteSession session)
    {
        var now = session.NowMs;
        var (lost, overdue) = session.AgeTrackedRequests(now, (long)overdueAfter.TotalMilliseconds, now - (long)giveUpAfter.TotalMilliseconds);
        // Raised with the change that gave the requests up, or not at all.
        if (lost.Count > 0) AlertRaiser.RequestsLost(session, lost, now);
        var changed = lost.Count + overdue.Count;
        if (changed > 0) session.Publish(new LiveChange(LiveChangeKind.RequestsChanged));
        return changed;
    }

    // The tracker runs under a lease; the lock also covers a lease that changed hands mid-tick.
    internal override void CollectLockKeys(List<long> keys) => keys.Add(WriteLocks.AlertRule(AlertRules.RequestLost));
}

/// <summary>The overdue and missing requests due for get_response now, at most <paramref name="limit"/>.</summary>
public sealed class DueRequests(int limit) : WriteOperation<List<string>>
{
    public override List<string> Apply(WriteSession session) => session.DueForPoll(session.NowMs, limit);
}

/// <summary>
/// A get_response that found nothing (<paramref name="missing"/>) or got no usable answer: the
/// request is Missing or keeps its state, and is asked again after a backoff that doubles per attempt.
/// </summary>
public sealed class RecordRequestPoll(string requestId, bool missing, TimeSpan firstBackoff) : WriteOperation<int?>
{
    /// <summary>The longest wait between two questions about one request.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(2);

    public override int? Apply(WriteSession session)
    {
        var now = session.NowMs;
        var attempts = session.RecordPoll(requestId, missing, now, n => now + (long)Backoff(firstBackoff, n).TotalMilliseconds);
        if (attempts is not null && missing) session.Publish(new LiveChange(LiveChangeKind.RequestsChanged));
        return attempts;
    }

    public static TimeSpan Backoff(TimeSpan first, int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 20));
        var wait = first.TotalMilliseconds * factor;
        return wait >= MaxBackoff.TotalMilliseconds ? MaxBackoff : TimeSpan.FromMilliseconds(wait);
    }
}

/// <summary>
/// Stores a result get_response brought as the event it is, marked <see cref="SignatureOutcome.Fetched"/>,
/// through the normal write path (projections, attribution and the request's own state move with it).
/// </summary>
public sealed class StoreFetchedResult(string requestId, IngestRequest request, TimeSpan pinTimeout) : WriteOperation<IngestOutcome>
{
    public override IngestOutcome Apply(WriteSession session)
    {
        var outcome = new StoreWebhookEvent(request, pinTimeout).Apply(session);
        session.CountPollAttempt(requestId);
        return outcome;
    }
}
