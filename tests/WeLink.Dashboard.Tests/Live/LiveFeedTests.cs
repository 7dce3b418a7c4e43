using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Tests.Live;

public sealed class LiveFeedTests
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Publish_SubscriberBlocked_ReturnsAtOnceAndDeliversLater()
    {
        using var feed = new LiveFeed(NullLogger<LiveFeed>.Instance);
        var gate = new ManualResetEventSlim(false);
        var seen = Channel.CreateUnbounded<LiveChange>();
        using var subscription = feed.Subscribe(change =>
        {
            // A page whose callback waits (e.g. on the writer) must not hold up the publisher.
            gate.Wait(WaitTimeout);
            seen.Writer.TryWrite(change);
        });

        var first = new LiveChange(LiveChangeKind.PinsChanged);
        var second = new LiveChange(LiveChangeKind.AccountsChanged, AccountId: "acc-1");
        await Task.Run(() =>
        {
            feed.Publish(first);
            feed.Publish(second);
        }).WaitAsync(TimeSpan.FromSeconds(2));
        Assert.False(seen.Reader.TryRead(out _));

        gate.Set();
        Assert.Same(first, await seen.Reader.ReadAsync().AsTask().WaitAsync(WaitTimeout));
        Assert.Same(second, await seen.Reader.ReadAsync().AsTask().WaitAsync(WaitTimeout));
    }

    [Fact]
    public async Task Publish_SubscriberRuns_OnAnotherThreadThanThePublisher()
    {
        using var feed = new LiveFeed(NullLogger<LiveFeed>.Instance);
        var subscriberThread = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = feed.Subscribe(_ => subscriberThread.TrySetResult(Environment.CurrentManagedThreadId));

        var publisherThread = await Task.Factory.StartNew(() =>
        {
            feed.Publish(new LiveChange(LiveChangeKind.RequestsChanged));
            return Environment.CurrentManagedThreadId;
        }, TaskCreationOptions.LongRunning);

        Assert.NotEqual(publisherThread, await subscriberThread.Task.WaitAsync(WaitTimeout));
    }
}
