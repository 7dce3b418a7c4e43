namespace WeLink.Dashboard.Features.Events;

/// <summary>
/// The event log's live tail, without the grid: whether it follows new events (first page, not
/// paused), how many matching events arrived while it did not ("N new"), which rows arrived
/// since the previous load, and when the grid may re-query (at most once per
/// <paramref name="reloadGap"/>, with one deferred reload for a burst).
/// </summary>
/// <remarks>
/// <see cref="EventArrived"/> runs on the live feed's thread, everything else on the renderer:
/// the fields both touch are volatile or interlocked.
/// </remarks>
public sealed class EventLogTail(TimeProvider time, TimeSpan reloadGap)
{
    private volatile bool _paused;
    private volatile int _currentPage;
    private int _newCount;
    private long _newestShown;
    private long _newestBeforeReload = long.MaxValue;
    private long? _lastReload;
    private bool _reloadDeferred;

    public bool Paused => _paused;

    /// <summary>The grid page last asked for (0 is the newest events).</summary>
    public int CurrentPage => _currentPage;

    /// <summary>Matching events that arrived while the tail was paused or another page was shown.</summary>
    public int NewCount => Volatile.Read(ref _newCount);

    /// <summary>True while new events should appear in the grid as they arrive.</summary>
    public bool Follows => !_paused && _currentPage == 0;

    /// <summary>An event arrived; <paramref name="matches"/>: it passes the page's filters.</summary>
    public void EventArrived(bool matches)
    {
        if (matches && !Follows) Interlocked.Increment(ref _newCount);
    }

    public void Pause()
    {
        _paused = true;
        Interlocked.Exchange(ref _newCount, 0);
    }

    /// <summary>Following again (resume, or "N new" clicked): the count starts over; the caller shows the first page.</summary>
    public void Resume()
    {
        _paused = false;
        Interlocked.Exchange(ref _newCount, 0);
    }

    /// <summary>Other filters: what was counted no longer applies.</summary>
    public void FilterChanged() => Interlocked.Exchange(ref _newCount, 0);

    public void PageRequested(int page) => _currentPage = page;

    /// <summary>A page loaded; on the followed first page the count is cleared and rows newer than the previous load are marked.</summary>
    public void PageLoaded(int page, long? newestId)
    {
        if (page != 0 || _paused) return;
        Interlocked.Exchange(ref _newCount, 0);
        _newestBeforeReload = _newestShown == 0 ? long.MaxValue : _newestShown;
        if (newestId is { } id) _newestShown = Math.Max(_newestShown, id);
    }

    /// <summary>Whether a row on the first page arrived since the load before the current one.</summary>
    public bool IsJustArrived(long eventId) => eventId > _newestBeforeReload && _currentPage == 0;

    /// <summary>Call as the grid re-queries: the gap counts from here.</summary>
    public void Reloading() => _lastReload = time.GetTimestamp();

    /// <summary>
    /// After live changes: null when the grid should stay as it is (not following, or a deferred
    /// reload is already waiting); zero to reload now; otherwise reload once after that long, then
    /// call <see cref="DeferredReloadDue"/>.
    /// </summary>
    public TimeSpan? NextReload()
    {
        if (!Follows) return null;
        var wait = _lastReload is { } last ? reloadGap - time.GetElapsedTime(last) : TimeSpan.Zero;
        if (wait <= TimeSpan.Zero) return TimeSpan.Zero;
        if (_reloadDeferred) return null;
        _reloadDeferred = true;
        return wait;
    }

    /// <summary>The deferred reload's time has come: true if the grid still follows the tail and should reload.</summary>
    public bool DeferredReloadDue()
    {
        _reloadDeferred = false;
        return Follows;
    }
}
