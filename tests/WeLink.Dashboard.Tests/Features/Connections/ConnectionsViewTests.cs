using WeLink.Dashboard.Features.Connections;

namespace WeLink.Dashboard.Tests.Features.Connections;

public class ConnectionsViewTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-03-01T10:25:00Z");

    [Fact]
    public void Buckets_Day_HourlyWithEmptyHoursFilled()
    {
        var buckets = ConnectionsView.Buckets([new(Now.AddHours(-3).AddMinutes(-25), 4, 1)], Now.AddHours(-24), Now, TimeSpan.Zero);

        Assert.Equal(25, buckets.Count);
        Assert.Equal(DateTimeOffset.Parse("2026-02-28T10:00:00Z"), buckets[0].Start);
        var filled = Assert.Single(buckets, b => b.Sent > 0);
        Assert.Equal(DateTimeOffset.Parse("2026-03-01T07:00:00Z"), filled.Start);
        Assert.Equal(1, filled.Failed);
        Assert.Equal(4, buckets.Sum(b => b.Sent));
    }

    [Fact]
    public void Buckets_Week_SixHourly_Month_Daily()
    {
        Assert.Equal(TimeSpan.FromHours(6), ConnectionsView.BucketSize(TimeSpan.FromDays(7)));
        Assert.Equal(TimeSpan.FromDays(1), ConnectionsView.BucketSize(TimeSpan.FromDays(30)));
        var month = ConnectionsView.Buckets([new(Now.AddDays(-2), 1, 0), new(Now.AddDays(-2).AddHours(1), 2, 0)], Now.AddDays(-30), Now, TimeSpan.Zero);
        Assert.Equal(31, month.Count);
        Assert.Equal(3, month.Single(b => b.Sent > 0).Sent);
    }

    [Fact]
    public void Buckets_FollowTheOperatorsZone()
    {
        var offset = TimeSpan.FromHours(2);
        var buckets = ConnectionsView.Buckets([], Now.AddDays(-30), Now, offset);

        Assert.All(buckets, b => Assert.Equal(TimeSpan.Zero, b.Start.ToOffset(offset).TimeOfDay));
    }

    [Fact]
    public void Chart_LabelsAreSparseAndNameTheDayWhereItStarts()
    {
        var buckets = ConnectionsView.Buckets([], Now.AddHours(-48), Now, TimeSpan.Zero);
        var chart = ConnectionsView.Chart(buckets, TimeSpan.Zero, use24HourClock: true);

        Assert.Equal(buckets.Count, chart.Labels.Length);
        Assert.InRange(chart.Labels.Count(l => l.Length > 0), 2, ConnectionsView.MaxLabels);
        Assert.Equal("Feb 27 10:00", chart.Labels[0]);
        Assert.Equal(["Sent", "Failed"], chart.Series.Select(s => s.Name));
        Assert.Equal("per hour", chart.BucketName);
    }

    [Theory]
    [InlineData(null, "—")]
    [InlineData(1.0, "100%")]
    [InlineData(2.0 / 3, "67%")]
    [InlineData(0.05, "5.0%")]
    public void Percent_Readable(double? rate, string expected) => Assert.Equal(expected, ConnectionsView.Percent(rate));
}
