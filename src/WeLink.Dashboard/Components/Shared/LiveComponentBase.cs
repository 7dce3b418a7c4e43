using Microsoft.AspNetCore.Components;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Components.Shared;

/// <summary>
/// A page or component that reloads when committed changes it cares about arrive on the live
/// feed: subscribes on initialisation, throttles and merges bursts, marshals onto the renderer,
/// sends failures to the renderer's error handling and unsubscribes on dispose.
/// A reload ends when the browser has applied its render: the next one waits for that, and the time
/// the browser took counts in the throttler's cost, so a slow or busy browser is sent fewer renders
/// instead of a queue of stale ones.
/// </summary>
public abstract class LiveComponentBase : ComponentBase, IHandleAfterRender, IDisposable
{
    /// <summary>How long a reload waits for the browser to apply its render before the next may start.</summary>
    public static readonly TimeSpan ShownTimeout = CallbackThrottler.MaximumGap;

    private IDisposable? _subscription;
    private CallbackThrottler? _throttler;
    private int _missedWhileDown;
    private TaskCompletionSource? _shown;
    private bool _afterRenderCalled;

    [Inject] protected LiveFeed Feed { get; set; } = null!;
    /// <summary>Whether this circuit's browser is connected (<see cref="CircuitConnectionHandler"/> keeps it current).</summary>
    [Inject] private CircuitConnection Connection { get; set; } = null!;

    /// <summary>
    /// The shortest time between two reloads. Summaries (counts, charts, tables of accounts) reload once
    /// a second: more often changes nothing a person reads, and each reload is a query and a render for
    /// every open page. Live tails and the PIN inbox override it to follow events closely.
    /// </summary>
    protected virtual TimeSpan LiveReloadGap => TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether reloads wait while the browser's tab is hidden (one reload catches up when it is shown). The PIN
    /// alerts say no: the count in the tab's title and the sound matter most when the tab is in the background.
    /// </summary>
    protected virtual bool HoldWhileHidden => true;

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
        Connection.Shown += OnConnectionCameBack;
        _throttler = new CallbackThrottler(
            () => !Connection.IsUp || HoldWhileHidden && !Connection.IsVisible ? MissedWhileDown() : ReloadAsync(),
            error => _ = InvokeAsync(() => DispatchExceptionAsync(error)),
            minimumGap: LiveReloadGap);
        _subscription = Feed.Subscribe(change =>
        {
            if (!IsRelevant(change)) return;
            OnChangeArrived(change);
            _throttler.Notify();
        });
    }

    private async Task ReloadAsync()
    {
        var shown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await InvokeAsync(async () =>
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            await OnLiveChangeAsync();
            Volatile.Write(ref _shown, shown);
            StateHasChanged();
            IngestMetrics.RecordReload(GetType(), start);
        });
        // Off the renderer: other components and the user's clicks go on while the browser applies the render.
        try
        {
            await shown.Task.WaitAsync(ShownTimeout, WhileConnected);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Not applied in time (no render was due, or the browser is away): the throttler goes on, counting the wait.
        }
        finally
        {
            Interlocked.CompareExchange(ref _shown, null, shown);
        }
    }

    /// <summary>
    /// Called by the renderer once the browser has applied a render of this component (on Blazor Server, when the
    /// browser acknowledged the render batch). Does what <see cref="ComponentBase"/> does, and first ends the
    /// reload that waits for it.
    /// </summary>
    Task IHandleAfterRender.OnAfterRenderAsync()
    {
        Interlocked.Exchange(ref _shown, null)?.TrySetResult();
        var firstRender = !_afterRenderCalled;
        _afterRenderCalled = true;
        OnAfterRender(firstRender);
        return OnAfterRenderAsync(firstRender);
    }

    /// <summary>For JavaScript calls: cancelled when the browser's connection goes down.</summary>
    protected CancellationToken WhileConnected => Connection.WhileUp;

    /// <summary>True while a reload waits for the browser to come back.</summary>
    protected bool ReloadHeldWhileDown => Volatile.Read(ref _missedWhileDown) == 1;

    /// <summary>The browser is away (or its tab hidden): nothing is reloaded or sent until it is back, then one reload catches up.</summary>
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
        Connection.Shown -= OnConnectionCameBack;
        _subscription?.Dispose();
        _throttler?.Dispose();
        GC.SuppressFinalize(this);
    }
}
