using MudBlazor;
using WeLink.Dashboard.Features.Errors;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Tests.Features.Errors;

public class ErrorsViewTests
{
    [Theory]
    [InlineData(10, 10, "no change")]
    [InlineData(5, 0, "new")]
    [InlineData(15, 10, "+50%")]
    [InlineData(5, 10, "−50%")]
    [InlineData(0, 4, "−100%")]
    [InlineData(105, 100, "+5%")]
    public void TrendOf_AgainstThePreviousPeriod(long count, long previous, string expected) =>
        Assert.Equal(expected, ErrorsView.TrendOf(count, previous).Text);

    [Fact]
    public void TrendOf_MoreErrorsIsRed_FewerIsGreen()
    {
        Assert.Equal(Color.Error, ErrorsView.TrendOf(2, 1).Color);
        Assert.Equal(Color.Success, ErrorsView.TrendOf(1, 2).Color);
    }

    [Fact]
    public void ByAccount_GroupsAndOrdersBusiestFirst()
    {
        var rows = ErrorsView.ByAccount([new("a", "X", 1), new(null, "Y", 5), new("a", "Y", 3)]);

        Assert.Equal([null, "a"], rows.Select(r => r.AccountId));
        Assert.Equal(4, rows[1].Total);
        Assert.Equal(["Y", "X"], rows[1].Codes.Select(c => c.Code));
    }

    [Fact]
    public void StatsRange_PresetWinsOverSinceAndUntil()
    {
        var range = StatsRange.FromQuery("7d", "2026-01-01T00:00:00Z", null, "24h");
        Assert.Equal("7d", range.Preset);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal((now - TimeSpan.FromDays(7), now), range.Resolve(now));
    }

    [Fact]
    public void StatsRange_CustomRange_AndDefault()
    {
        var custom = StatsRange.FromQuery(null, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "24h");
        Assert.True(custom.IsCustom);
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T00:00:00Z"), custom.Resolve(DateTimeOffset.UtcNow).Since);
        Assert.Equal("/errors?since=2026-01-01T00%3A00%3A00Z&until=2026-01-02T00%3A00%3A00Z", custom.Url((s, u) => DashboardUrls.ErrorsFor(null, s, u)));

        Assert.Equal("24h", StatsRange.FromQuery("bogus", "not a time", null, "24h").Preset);
        Assert.Equal("/errors?account=a&range=24h", StatsRange.Rolling("24h").Url((s, u) => DashboardUrls.ErrorsFor("a", s, u)));
    }

    [Fact]
    public void EventLogWindow_StartsAtTheHourTheCountsStart()
    {
        var now = DateTimeOffset.Parse("2026-03-01T10:25:00Z");
        var (since, until) = StatsRange.Rolling("1h").EventLogWindow(now);
        Assert.Equal(DateTimeOffset.Parse("2026-03-01T09:00:00Z"), since);
        Assert.Null(until);

        var url = ErrorsView.EventLogUrl(StatsRange.Rolling("1h"), now, "acc-1", "STATUS_429");
        Assert.Equal("/events?account=acc-1&errorCode=STATUS_429&since=2026-03-01T09%3A00%3A00Z", url);
    }
}
