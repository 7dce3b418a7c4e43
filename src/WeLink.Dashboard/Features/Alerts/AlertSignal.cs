using System.Threading.Channels;

namespace WeLink.Dashboard.Features.Alerts;

/// <summary>Wakes the sender when something may have queued a message; a wake while one is queued merges into it.</summary>
public sealed class AlertSignal
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Waits for a wake or <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_wake.Reader.TryRead(out _)) return;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, limit.Token);
        var wake = _wake.Reader.WaitToReadAsync(limit.Token).AsTask();
        await Task.WhenAny(delay, wake);
        await limit.CancelAsync();
        _wake.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
