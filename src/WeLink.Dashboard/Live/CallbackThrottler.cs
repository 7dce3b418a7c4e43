namespace WeLink.Dashboard.Live;

/// <summary>
/// Merges bursts of notifications: the callback runs at most once per <see cref="MinimumGap"/>,
/// and a notification that arrives while one is already queued is dropped (the queued run will
/// see its effect). A thousand events a second become ten re-renders.
/// </summary>
public sealed class CallbackThrottler : IDisposable
{
    public static readonly TimeSpan DefaultGap = TimeSpan.FromMilliseconds(100);

    private readonly Func<Task> _callback;
    private readonly TimeProvider _time;
    private readonly Action<Exception> _onError;
    private readonly Lock _gate = new();
    private bool _queued;
    private bool _disposed;
    private long _lastRun;

    public CallbackThrottler(Func<Task> callback, Action<Exception> onError, TimeProvider? time = null, TimeSpan? minimumGap = null)
    {
        _callback = callback;
        _onError = onError;
        _time = time ?? TimeProvider.System;
        MinimumGap = minimumGap ?? DefaultGap;
    }

    public TimeSpan MinimumGap { get; }

    public void Notify()
    {
        lock (_gate)
        {
            if (_queued || _disposed) return;
            _queued = true;
        }
        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            // Never run the callback on the notifier's thread (the live feed's consumer), even when no wait is due.
            await Task.Yield();
            var wait = MinimumGap - _time.GetElapsedTime(Interlocked.Read(ref _lastRun));
            if (wait > TimeSpan.Zero) await Task.Delay(wait, _time);
            lock (_gate)
            {
                _queued = false;
                if (_disposed) return;
            }
            Interlocked.Exchange(ref _lastRun, _time.GetTimestamp());
            await _callback();
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
