using System.Threading.Channels;
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

public sealed record LiveChange(LiveChangeKind Kind, EventSummary? Event = null, string? AccountId = null)
{
    /// <summary>
    /// Committed by another instance and relayed here through Redis (<see cref="RedisLiveRelay"/>): pages
    /// show it, but it is never sent on again, and the hub leaves it alone (its backplane carries the other
    /// instance's own broadcast).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Remote { get; init; }
}

/// <summary>
/// The in-process feed of committed changes. <see cref="Publish"/> only queues the change: a
/// separate consumer calls the subscribers in order, so the writer goes back to its queue at once
/// and a page's reload or render never runs on the writer's thread (a subscriber that waits on the
/// writer would otherwise deadlock it).
/// </summary>
public sealed class LiveFeed : IDisposable
{
    private readonly ILogger<LiveFeed> _logger;
    private readonly Lock _gate = new();
    private readonly Channel<LiveChange> _pending = Channel.CreateUnbounded<LiveChange>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });
    private Action<LiveChange>[] _subscribers = [];

    public LiveFeed(ILogger<LiveFeed> logger)
    {
        _logger = logger;
        _ = Task.Run(PumpAsync);
    }

    public IDisposable Subscribe(Action<LiveChange> onChange)
    {
        lock (_gate) _subscribers = [.. _subscribers, onChange];
        return new Subscription(this, onChange);
    }

    /// <summary>Queues <paramref name="change"/> for the subscribers; never runs them on the caller's thread.</summary>
    public void Publish(LiveChange change)
    {
        // Nobody listening: nothing to queue (the common case for a headless ingest run).
        if (Volatile.Read(ref _subscribers).Length == 0) return;
        _pending.Writer.TryWrite(change);
    }

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    private async Task PumpAsync()
    {
        while (await _pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (_pending.Reader.TryRead(out var change))
            {
                foreach (var subscriber in Volatile.Read(ref _subscribers))
                {
                    try
                    {
                        subscriber(change);
                    }
                    catch (Exception ex)
                    {
                        _logger.LogWarning(ex, "A live-feed subscriber failed");
                    }
                }
            }
        }
    }

    public void Dispose() => _pending.Writer.TryComplete();

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
