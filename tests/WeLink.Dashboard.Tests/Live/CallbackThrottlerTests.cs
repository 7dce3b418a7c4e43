using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Tests.Live;

public sealed class CallbackThrottlerTests
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A clock the callback moves on, so a run "takes" exactly what the test says.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    [Theory]
    [InlineData(300, 1_200)]
    [InlineData(2_000, 5_000)]
    public void Notify_CostlyRun_NextGapIsFourTimesItsCostUpToTheMaximum(int costMs, int expectedGapMs)
    {
        var clock = new ManualClock();
        using var throttler = new CallbackThrottler(
            () =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(costMs));
                return Task.CompletedTask;
            },
            error => throw error, clock, minimumGap: TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(100), throttler.Gap);

        throttler.Notify();

        Assert.True(SpinWait.SpinUntil(() => throttler.Gap != TimeSpan.FromMilliseconds(100), WaitTimeout), "the run's cost was never recorded");
        Assert.Equal(TimeSpan.FromMilliseconds(expectedGapMs), throttler.Gap);
    }

    [Fact]
    public void Notify_CheapRun_GapStaysTheMinimum()
    {
        var clock = new ManualClock();
        var ran = 0;
        using var throttler = new CallbackThrottler(
            () =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(10));
                Interlocked.Increment(ref ran);
                return Task.CompletedTask;
            },
            error => throw error, clock, minimumGap: TimeSpan.FromSeconds(1));

        throttler.Notify();

        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref ran) == 1, WaitTimeout));
        Assert.Equal(TimeSpan.FromSeconds(1), throttler.Gap);
    }

    [Fact]
    public async Task Notify_DuringARun_NextRunStartsOnlyAfterItEnds()
    {
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstEnded = 0;
        var secondSawFirstEnded = false;
        var runs = 0;
        using var throttler = new CallbackThrottler(
            async () =>
            {
                if (Interlocked.Increment(ref runs) == 1)
                {
                    firstStarted.TrySetResult();
                    // A slow run, as a reload waiting for a busy browser: the second notification comes during it.
                    await Task.Delay(TimeSpan.FromMilliseconds(300));
                    Volatile.Write(ref firstEnded, 1);
                }
                else
                {
                    secondSawFirstEnded = Volatile.Read(ref firstEnded) == 1;
                    secondStarted.TrySetResult();
                }
            },
            error => throw error, minimumGap: TimeSpan.FromMilliseconds(1));

        throttler.Notify();
        await firstStarted.Task.WaitAsync(WaitTimeout);
        throttler.Notify();

        // The second run was due 1 ms after the first started; it must still wait for the first to end.
        await secondStarted.Task.WaitAsync(WaitTimeout);
        Assert.True(secondSawFirstEnded);
        Assert.Equal(2, Volatile.Read(ref runs));
    }
}
