namespace WeLink.Dashboard.Live;

/// <summary>
/// Merges bursts of notifications: the callback runs at most once per gap, and a notification that
/// arrives while one is already queued is dropped (the queued run will see its effect). The gap is
/// <see cref="MinimumGap"/>, or <see cref="CostFactor"/> times what the last run took when that is
/// longer: a page whose reload is slow (a large log, a busy machine) reloads less often instead of
/// keeping a core busy, so many open pages cannot starve ingest. Runs never overlap: a notification
/// that arrives during a run is handled by one run after it has ended.
/// </summary>
public sealed class CallbackThrottler : IDisposable
{
    public static readonly TimeSpan DefaultGap = TimeSpan.FromMilliseconds(100);

    /// <summary>The next run starts at least this many times the last run's duration after that run started: reloads take at most 1 / CostFactor of the time.</summary>
    public const int CostFactor = 4;

    /// <summary>The adaptive gap never grows beyond this, so a slow page still refreshes.</summary>
    public static readonly TimeSpan MaximumGap = TimeSpan.FromSeconds(5);

    private readonly Func<Task> _callback;
    private readonly TimeProvider _time;
    private readonly Action<Exception> _onError;
    private readonly Lock _gate = new();
    private bool _queued;
    private bool _disposed;
    private long _lastRun;
    private long _lastCostTicks;
    private Task _lastRunTask = Task.CompletedTask;

    public CallbackThrottler(Func<Task> callback, Action<Exception> onError, TimeProvider? time = null, TimeSpan? minimumGap = null)
    {
        _callback = callback;
        _onError = onError;
        _time = time ?? TimeProvider.System;
        MinimumGap = minimumGap ?? DefaultGap;
    }

    public TimeSpan MinimumGap { get; }

    /// <summary>The wait between runs now: <see cref="MinimumGap"/>, or more after a costly run.</summary>
    public TimeSpan Gap
    {
        get
        {
            var adaptive = TimeSpan.FromTicks(Math.Min(Interlocked.Read(ref _lastCostTicks) * CostFactor, MaximumGap.Ticks));
            return adaptive > MinimumGap ? adaptive : MinimumGap;
        }
    }

    public void Notify()
    {
        lock (_gate)
        {
            if (_queued || _disposed) return;
            _queued = true;
            _lastRunTask = RunAsync(_lastRunTask);
        }
    }

    private async Task RunAsync(Task previous)
    {
        try
        {
            // Never run the callback on the notifier's thread (the live feed's consumer), even when no wait is due.
            await Task.Yield();
            // The run before this one (it never throws) ends first: its cost sets the gap.
            await previous;
            var wait = Gap - _time.GetElapsedTime(Interlocked.Read(ref _lastRun));
            if (wait > TimeSpan.Zero) await Task.Delay(wait, _time);
            lock (_gate)
            {
                _queued = false;
                if (_disposed) return;
            }
            var started = _time.GetTimestamp();
            Interlocked.Exchange(ref _lastRun, started);
            try
            {
                await _callback();
            }
            finally
            {
                Interlocked.Exchange(ref _lastCostTicks, _time.GetElapsedTime(started).Ticks);
            }
        }
        catch (Exception ex)
        {
            _onError(ex);
        }
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
    }
}
