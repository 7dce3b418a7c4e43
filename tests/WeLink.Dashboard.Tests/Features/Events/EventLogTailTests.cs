using WeLink.Dashboard.Features.Events;

namespace WeLink.Dashboard.Tests.Features.Events;

public class EventLogTailTests
{
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(500);

    /// <summary>A clock that moves only when told to.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    private static (EventLogTail Tail, ManualClock Clock) NewTail()
    {
        var clock = new ManualClock();
        return (new EventLogTail(clock, Gap), clock);
    }

    [Fact]
    public void EventArrived_WhileFollowing_CountsNothing()
    {
        var (tail, _) = NewTail();
        tail.EventArrived(matches: true);
        Assert.True(tail.Follows);
        Assert.Equal(0, tail.NewCount);
    }

    [Fact]
    public void EventArrived_WhilePaused_CountsMatchingEventsOnly()
    {
        var (tail, _) = NewTail();
        tail.Pause();
        tail.EventArrived(matches: true);
        tail.EventArrived(matches: false);
        tail.EventArrived(matches: true);
        Assert.False(tail.Follows);
        Assert.Equal(2, tail.NewCount);
    }

    [Fact]
    public void EventArrived_OnALaterPage_Counts()
    {
        var (tail, _) = NewTail();
        tail.PageRequested(2);
        tail.EventArrived(matches: true);
        Assert.False(tail.Follows);
        Assert.Equal(1, tail.NewCount);
    }

    [Fact]
    public void Resume_AfterPause_FollowsAgainAndClearsTheCount()
    {
        var (tail, _) = NewTail();
        tail.Pause();
        tail.EventArrived(matches: true);
        tail.Resume();
        Assert.True(tail.Follows);
        Assert.False(tail.Paused);
        Assert.Equal(0, tail.NewCount);
    }

    [Fact]
    public void FilterChanged_WithCountedEvents_ClearsTheCount()
    {
        var (tail, _) = NewTail();
        tail.Pause();
        tail.EventArrived(matches: true);
        tail.FilterChanged();
        Assert.Equal(0, tail.NewCount);
        Assert.True(tail.Paused);
    }

    [Fact]
    public void PageLoaded_FirstPageWhileFollowing_ClearsTheCount()
    {
        var (tail, _) = NewTail();
        tail.PageRequested(1);
        tail.EventArrived(matches: true);
        tail.PageRequested(0);
        tail.PageLoaded(0, newestId: 10);
        Assert.Equal(0, tail.NewCount);
    }

    [Fact]
    public void PageLoaded_FirstPageWhilePaused_KeepsTheCount()
    {
        var (tail, _) = NewTail();
        tail.Pause();
        tail.EventArrived(matches: true);
        tail.PageLoaded(0, newestId: 10);
        Assert.Equal(1, tail.NewCount);
    }

    [Fact]
    public void IsJustArrived_RowsNewerThanThePreviousLoad_MarkedOnTheFirstPageOnly()
    {
        var (tail, _) = NewTail();
        tail.PageLoaded(0, newestId: 10);
        Assert.False(tail.IsJustArrived(10)); // the first load marks nothing
        tail.PageLoaded(0, newestId: 13);
        Assert.True(tail.IsJustArrived(11));
        Assert.True(tail.IsJustArrived(13));
        Assert.False(tail.IsJustArrived(10));
        tail.PageRequested(1);
        Assert.False(tail.IsJustArrived(13));
    }

    [Fact]
    public void NextReload_NeverReloaded_ReloadsNow()
    {
        var (tail, _) = NewTail();
        Assert.Equal(TimeSpan.Zero, tail.NextReload());
    }

    [Fact]
    public void NextReload_NotFollowing_LeavesTheGridAlone()
    {
        var (tail, _) = NewTail();
        tail.Pause();
        Assert.Null(tail.NextReload());
        tail.Resume();
        tail.PageRequested(3);
        Assert.Null(tail.NextReload());
    }

    [Fact]
    public void NextReload_WithinTheGap_DefersOnceForTheRestOfTheGap()
    {
        var (tail, clock) = NewTail();
        tail.Reloading();
        clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(TimeSpan.FromMilliseconds(300), tail.NextReload());
        // A burst: the reload already waiting covers these changes too.
        Assert.Null(tail.NextReload());
        Assert.Null(tail.NextReload());
    }

    [Fact]
    public void NextReload_AfterTheGap_ReloadsNow()
    {
        var (tail, clock) = NewTail();
        tail.Reloading();
        clock.Advance(Gap);
        Assert.Equal(TimeSpan.Zero, tail.NextReload());
    }

    [Fact]
    public void DeferredReloadDue_StillFollowing_ReloadsAndAllowsTheNextDeferral()
    {
        var (tail, clock) = NewTail();
        tail.Reloading();
        Assert.Equal(Gap, tail.NextReload());
        clock.Advance(Gap);
        Assert.True(tail.DeferredReloadDue());
        tail.Reloading();
        Assert.Equal(Gap, tail.NextReload());
    }

    [Fact]
    public void DeferredReloadDue_PausedMeanwhile_DoesNotReload()
    {
        var (tail, _) = NewTail();
        tail.Reloading();
        Assert.NotNull(tail.NextReload());
        tail.Pause();
        Assert.False(tail.DeferredReloadDue());
    }
}
