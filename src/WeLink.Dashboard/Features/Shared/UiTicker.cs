namespace WeLink.Dashboard.Features.Shared;

/// <summary>
/// Calls back on a fixed period until disposed, for what must move without new data arriving:
/// countdowns, ages, and lists that change when a deadline passes.
/// </summary>
public sealed class UiTicker : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private UiTicker()
    {
    }

    /// <param name="onTick">Runs after each period; the next period starts once it has finished.</param>
    /// <param name="onError">Receives a failure of <paramref name="onTick"/>; the ticker stops after one.</param>
    public static UiTicker Start(TimeSpan period, TimeProvider time, Func<Task> onTick, Action<Exception> onError)
    {
        var ticker = new UiTicker();
        _ = RunAsync(period, time, onTick, onError, ticker._stop.Token);
        return ticker;
    }

    private static async Task RunAsync(TimeSpan period, TimeProvider time, Func<Task> onTick, Action<Exception> onError, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop)) await onTick();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // The component (and its renderer) went away between two ticks.
        }
        catch (Exception ex)
        {
            onError(ex);
        }
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _stop.Dispose();
    }
}
