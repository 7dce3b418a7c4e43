using WeLink.Webhooks;

namespace WeLink.Dashboard.Live;

/// <summary>What a committed event looks like on the live feed and on the hub.</summary>
public sealed record EventSummary(
    long Id,
    DateTimeOffset ReceivedAt,
    string EventType,
    DerivationSource TypeSource,
    string? AccountId,
    DerivationSource AccountSource,
    string? Status,
    string? RequestId,
    string? ErrorCode,
    string? Message,
    SignatureOutcome Signature,
    int DeliveryCount)
{
    /// <summary>The account's name and e-mail where the reader looked them up (the event log and its API); the id stays the key.</summary>
    public string? DisplayName { get; init; }
    public string? Email { get; init; }
}

public enum LiveChangeKind
{
    /// <summary>A new event was stored.</summary>
    EventReceived,
    /// <summary>An event was delivered again (its delivery count went up).</summary>
    EventRedelivered,
    /// <summary>The pending PIN list or a PIN request changed.</summary>
    PinsChanged,
    /// <summary>An account's projection changed outside ingest (sync, PIN submission).</summary>
    AccountsChanged,
    /// <summary>A tracked request changed state (registered, settled, overdue, missing, lost).</summary>
    RequestsChanged,
}

public sealed record LiveChange(LiveChangeKind Kind, EventSummary? Event = null, string? AccountId = null);

/// <summary>
/// The in-process feed of committed changes. Publishing never blocks the writer: each
/// subscriber's callback must be quick (pages marshal and throttle on their own side).
/// </summary>
public sealed class LiveFeed(ILogger<LiveFeed> logger)
{
    private readonly Lock _gate = new();
    private Action<LiveChange>[] _subscribers = [];

    public IDisposable Subscribe(Action<LiveChange> onChange)
    {
        lock (_gate) _subscribers = [.. _subscribers, onChange];
        return new Subscription(this, onChange);
    }

    public void Publish(LiveChange change)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            try
            {
                subscriber(change);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A live-feed subscriber failed");
            }
        }
    }

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    private void Unsubscribe(Action<LiveChange> onChange)
    {
        lock (_gate) _subscribers = _subscribers.Where(s => s != onChange).ToArray();
    }

    private sealed class Subscription(LiveFeed feed, Action<LiveChange> onChange) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) feed.Unsubscribe(onChange);
        }
    }
}
