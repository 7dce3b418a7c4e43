using Bunit;
using WeLink.Dashboard.Components.Shared;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Tests.Components;

public class SharedComponentTests : DashboardComponentTest
{
    [Fact]
    public void RelativeTime_ShowsAgoWithExactTimeOnHover()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-5).AddSeconds(-3);
        var cut = Context.Render<RelativeTime>(p => p.Add(c => c.At, at));
        var span = cut.Find("span");
        Assert.Equal("5 min ago", span.TextContent);
        Assert.Equal(at.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), span.GetAttribute("title"));
    }

    [Theory]
    [InlineData(-2, "just now")]
    [InlineData(-30, "30 s ago")]
    [InlineData(-7200, "2 h ago")]
    [InlineData(-200000, "2 d ago")]
    [InlineData(300, "in 5 min")]
    public void FormatRelative_Ranges(int seconds, string expected)
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(expected, UiPreferences.FormatRelative(now.AddSeconds(seconds), now));
    }

    [Fact]
    public void FormatCountdown_MinutesSecondsAndPast()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal("4:05", UiPreferences.FormatCountdown(now.AddSeconds(245), now));
        Assert.Equal("0:00", UiPreferences.FormatCountdown(now.AddSeconds(-1), now));
    }

    [Fact]
    public async Task CallbackThrottler_BurstOfNotifications_MergesIntoFewRuns()
    {
        var runs = 0;
        var done = new TaskCompletionSource();
        using var throttler = new CallbackThrottler(() =>
        {
            if (Interlocked.Increment(ref runs) == 1) done.TrySetResult();
            return Task.CompletedTask;
        }, _ => { });

        for (var i = 0; i < 1000; i++) throttler.Notify();
        await done.Task.WaitAsync(WaitTimeout);
        throttler.Notify();
        Assert.InRange(runs, 1, 2);
    }
}
