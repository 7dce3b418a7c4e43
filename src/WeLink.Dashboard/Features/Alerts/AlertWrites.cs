using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;

namespace WeLink.Dashboard.Features.Alerts;

/// <summary>
/// Fans new messages out to the channels that take their rule: one outbox row per message and
/// channel, in message order. A disabled rule's messages are marked done with no delivery.
/// </summary>
public sealed class DispatchAlertMessages(AlertOptions options) : WriteOperation<int>
{
    public const int Batch = 200;

    public override int Apply(WriteSession session)
    {
        var now = session.NowMs;
        var deliveries = 0;
        foreach (var message in session.UndispatchedAlertMessages(Batch))
        {
            if (message.Channel is { } only)
            {
                if (options.Channel(only) is not null)
                {
                    session.InsertAlertDelivery(message.Id, only, message.AccountId ?? "", now);
                    deliveries++;
                }
            }
            else if (options.Rules.IsEnabled(message.Rule))
            {
                foreach (var channel in options.Channels.Where(c => c.Takes(message.Rule)))
                {
                    session.InsertAlertDelivery(message.Id, channel.Name, message.AccountId ?? "", now);
                    deliveries++;
                }
            }
            session.MarkAlertMessageDispatched(message.Id, now);
        }
        return deliveries;
    }
}

/// <summary>Records a 2xx (or an accepted e-mail): the delivery is never sent again.</summary>
public sealed class MarkAlertDelivered(long deliveryId, int? statusCode) : WriteOperation<int>
{
    public override int Apply(WriteSession session) => session.MarkAlertDelivered(deliveryId, session.NowMs, statusCode);
}

/// <summary>Records a failed attempt and when to try again.</summary>
public sealed class MarkAlertAttemptFailed(long deliveryId, int? statusCode, string error, DateTimeOffset nextAttemptAt) : WriteOperation<int>
{
    public override int Apply(WriteSession session) =>
        session.MarkAlertAttemptFailed(deliveryId, session.NowMs, statusCode, error, nextAttemptAt.ToUnixTimeMilliseconds());
}

/// <summary>Gives up the pending deliveries of channels that are no longer configured (kept in the log).</summary>
public sealed class AbandonUnconfiguredDeliveries(IReadOnlyList<string> channels) : WriteOperation<int>
{
    public override int Apply(WriteSession session) => channels.Sum(c => session.AbandonAlertDeliveries(c, session.NowMs));
}

/// <summary>A "send test" from the Alerts page: one message to one channel through the outbox.</summary>
public sealed class QueueAlertTest(string channel) : WriteOperation<bool>
{
    public override bool Apply(WriteSession session)
    {
        AlertRaiser.Test(session, channel, session.NowMs);
        return true;
    }
}

/// <summary>What one pass of <see cref="CheckOpenPinAlerts"/> did: alerts changed, alerts looked at, the last one's id.</summary>
public sealed record PinAlertCheck(int Changed, int Seen, long LastId);

/// <summary>
/// The time-driven part of the PIN rule over the open alerts: a reminder once a request has waited <c>RemindAfter</c>,
/// and the last alert or <c>Resolved</c> for one whose requests are all answered or expired (an answer usually ends its
/// alert at once, see <see cref="AlertRaiser.PinAnswered"/>; an expiry is only seen here). At most
/// <paramref name="limit"/> alerts after <paramref name="afterId"/>, oldest first: open alerts are a handful in steady
/// use, but a dashboard started on a backlog (PIN requests with no account, unanswered while it was down) may hold
/// thousands, and the timer takes them a pass at a time so that webhooks are stored between.
/// </summary>
public sealed class CheckOpenPinAlerts(TimeSpan remindAfter, long afterId = 0, int limit = CheckOpenPinAlerts.PassSize) : WriteOperation<PinAlertCheck>
{
    /// <summary>Alerts a pass looks at: a few milliseconds of the writer's time.</summary>
    public const int PassSize = 200;

    public override PinAlertCheck Apply(WriteSession session)
    {
        var now = session.NowMs;
        var changed = 0;
        var alerts = session.OpenAlerts(AlertRules.PinWaiting, afterId, limit);
        foreach (var alert in alerts)
        {
            if (AlertRaiser.ClosePinWaitingIfAnswered(session, alert, now))
            {
                changed++;
            }
            else if (alert.RemindedAt is null && now - alert.OpenedAt >= (long)remindAfter.TotalMilliseconds)
            {
                session.MarkReminded(alert.Id, now);
                session.InsertAlertMessage(alert.Id, Data.AlertMessageKind.Reminder, alert.Rule, alert.AccountId, alert.Subject, null, now);
                changed++;
            }
        }
        return new PinAlertCheck(changed, alerts.Count, alerts.Count == 0 ? afterId : alerts[^1].Id);
    }
}

/// <summary>Raises ErrorSpike for codes at or over the threshold, each at most once per cooldown.</summary>
public sealed class RaiseErrorSpikes(IReadOnlyList<(string Code, long Count)> spikes, TimeSpan cooldown) : WriteOperation<int>
{
    public override int Apply(WriteSession session) =>
        spikes.Count(s => AlertRaiser.RaiseWithCooldown(session, AlertRules.ErrorSpike, s.Code, s.Count, session.NowMs, cooldown));

    internal override void CollectLockKeys(List<long> keys) => keys.Add(WriteLocks.AlertRule(AlertRules.ErrorSpike));
}

/// <summary>Raises WebhookSilence or resolves it once a webhook came after it opened (the timer read both).</summary>
public sealed class CheckWebhookSilence(bool silent, long? lastWebhookAt) : WriteOperation<int>
{
    public override int Apply(WriteSession session) => AlertRaiser.CheckWebhookSilence(session, silent, lastWebhookAt, session.NowMs);

    internal override void CollectLockKeys(List<long> keys) => keys.Add(WriteLocks.AlertRule(AlertRules.WebhookSilence));
}
