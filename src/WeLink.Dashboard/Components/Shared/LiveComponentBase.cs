using Microsoft.AspNetCore.Components;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Components.Shared;

/// <summary>
/// A page or component that reloads when committed changes it cares about arrive on the live
/// feed: subscribes on initialisation, throttles and merges bursts, marshals onto the renderer,
/// sends failures to the renderer's error handling and unsubscribes on dispose.
/// </summary>
public abstract class LiveComponentBase : ComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private CallbackThrottler? _throttler;
    private int _missedWhileDown;

    [Inject] protected LiveFeed Feed { get; set; } = null!;
    /// <summary>Whether this circuit's browser is connected (<see cref="CircuitConnectionHandler"/> keeps it current).</summary>
    [Inject] private CircuitConnection Connection { get; set; } = null!;

    /// <summary>
    /// The shortest time between two reloads. Summaries (counts, charts, tables of accounts) reload once
    /// a second: more often changes nothing a person reads, and each reload is a query and a render for
    /// every open page. Live tails and the PIN inbox override it to follow events closely.
    /// </summary>
    protected virtual TimeSpan LiveReloadGap => TimeSpan.FromSeconds(1);

    /// <summary>Which changes make this component reload.</summary>
    protected virtual bool IsRelevant(LiveChange change) => true;

    /// <summary>Reload what the component shows; called on the renderer's context.</summary>
    protected abstract Task OnLiveChangeAsync();

    /// <summary>Called for every relevant change as it arrives (off the renderer): e.g. count what arrived while paused.</summary>
    protected virtual void OnChangeArrived(LiveChange change)
    {
    }

    protected override void OnInitialized()
    {
        Connection.CameBack += OnConnectionCameBack;
        _throttler = new CallbackThrottler(
            () => !Connection.IsUp ? MissedWhileDown() : InvokeAsync(async () =>
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                await OnLiveChangeAsync();
                StateHasChanged();
                IngestMetrics.RecordReload(GetType(), start);
            }),
            error => _ = InvokeAsync(() => DispatchExceptionAsync(error)),
            minimumGap: LiveReloadGap);
        _subscription = Feed.Subscribe(change =>
        {
            if (!IsRelevant(change)) return;
            OnChangeArrived(change);
            _throttler.Notify();
        });
    }

    /// <summary>For JavaScript calls: cancelled when the browser's connection goes down.</summary>
    protected CancellationToken WhileConnected => Connection.WhileUp;

    /// <summary>True while a reload waits for the browser to come back.</summary>
    protected bool ReloadHeldWhileDown => Volatile.Read(ref _missedWhileDown) == 1;

    /// <summary>The browser is away: nothing is reloaded or sent until it is back, then one reload catches up.</summary>
    private Task MissedWhileDown()
    {
        Interlocked.Exchange(ref _missedWhileDown, 1);
        return Task.CompletedTask;
    }

    private void OnConnectionCameBack()
    {
        if (Interlocked.Exchange(ref _missedWhileDown, 0) == 1) _throttler?.Notify();
    }

    public virtual void Dispose()
    {
        Connection.CameBack -= OnConnectionCameBack;
        _subscription?.Dispose();
        _throttler?.Dispose();
        GC.SuppressFinalize(this);
    }
}
