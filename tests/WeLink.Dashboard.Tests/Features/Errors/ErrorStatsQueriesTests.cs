using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Features.Errors;
using WeLink.Dashboard.Tests.Components;

namespace WeLink.Dashboard.Tests.Features.Errors;

/// <summary>The error breakdown's totals, trend against the period before, and series, from the hourly counters of a real file.</summary>
public class ErrorStatsQueriesTests : DashboardComponentTest
{
    [Fact]
    public async Task GetAsync_ErrorsInThePeriodOrTheOneBefore_CountedInTheRightOneWithTheirSeries()
    {
        await IngestAsync("""{"status":"FAILED","request_id":"m1","account_id":"acc-1","error":"STATUS_429"}""", "MESSAGE_FAILED");
        await IngestAsync("""{"status":"FAILED","request_id":"m2","account_id":"acc-2","error":"STATUS_429"}""", "MESSAGE_FAILED");
        await IngestAsync("""{"status":"FAILED","request_id":"p1","account_id":"acc-1","error":"PROFILE_NOT_FOUND"}""", "PROFILE_VIEW_FAILED");
        var queries = Context.Services.GetRequiredService<ErrorStatsQueries>();
        // Two whole hours around now: the three errors are inside whatever the minute.
        var now = DateTimeOffset.UtcNow;
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);

        var current = await queries.GetAsync(null, hour.AddHours(-1), hour.AddHours(1), CancellationToken.None);

        Assert.Equal(3, current.Total);
        Assert.Equal(0, current.PreviousTotal);
        Assert.Equal(new[] { ("STATUS_429", 2L, 0L), ("PROFILE_NOT_FOUND", 1L, 0L) }, current.Codes.Select(c => (c.Code, c.Count, c.PreviousCount)));
        Assert.Equal(3, current.Series.Sum(s => s.Count));
        Assert.All(current.Series, s => Assert.InRange(s.Hour, hour.AddHours(-1), hour));
        Assert.Equal(2, current.ByAccount.Where(a => a.AccountId == "acc-1").Sum(a => a.Count));

        // The next two hours: nothing in them, the same three in the period before.
        var next = await queries.GetAsync(null, hour.AddHours(1), hour.AddHours(3), CancellationToken.None);

        Assert.Equal(0, next.Total);
        Assert.Equal(3, next.PreviousTotal);
        Assert.Equal(new[] { ("STATUS_429", 0L, 2L), ("PROFILE_NOT_FOUND", 0L, 1L) },
            next.Codes.Select(c => (c.Code, c.Count, c.PreviousCount)).OrderByDescending(c => c.Item3));
        Assert.Empty(next.Series);
        Assert.Empty(next.ByAccount);
    }

    [Fact]
    public async Task GetAsync_FleetWideOver24HoursAnd30Days_SameRowsPerAccountAndCodeMostFirst()
    {
        // acc-1: STATUS_429 under two event types, a PROFILE_NOT_FOUND and a PROXY_ERROR; acc-2: two PROXY_ERRORs;
        // one unattributed STATUS_429; a success without a code.
        await IngestAsync("""{"status":"FAILED","request_id":"m1","account_id":"acc-1","error":"STATUS_429"}""", "MESSAGE_FAILED");
        await IngestAsync("""{"status":"FAILED","request_id":"c1","account_id":"acc-1","error":"STATUS_429"}""", "CONNECTION_FAILED");
        await IngestAsync("""{"status":"FAILED","request_id":"p1","account_id":"acc-1","error":"PROFILE_NOT_FOUND"}""", "PROFILE_VIEW_FAILED");
        await IngestAsync("""{"status":"FAILED","request_id":"m2","account_id":"acc-1","error":"PROXY_ERROR"}""", "MESSAGE_FAILED");
        await IngestAsync("""{"status":"FAILED","request_id":"m3","account_id":"acc-2","error":"PROXY_ERROR"}""", "MESSAGE_FAILED");
        await IngestAsync("""{"status":"FAILED","request_id":"m4","account_id":"acc-2","error":"PROXY_ERROR"}""", "MESSAGE_FAILED");
        await IngestAsync("""{"status":"FAILED","request_id":"u1","error":"STATUS_429"}""");
        await IngestAsync("""{"status":"SUCCESS","request_id":"m5","account_id":"acc-2"}""", "MESSAGE_SENT");
        var queries = Context.Services.GetRequiredService<ErrorStatsQueries>();
        (string?, string, long)[] expected =
        [
            ("acc-1", "STATUS_429", 2), ("acc-2", "PROXY_ERROR", 2),
            // Equal counts: the unattributed row first, then by account and code.
            (null, "STATUS_429", 1), ("acc-1", "PROFILE_NOT_FOUND", 1), ("acc-1", "PROXY_ERROR", 1),
        ];

        // The default range (the last 24 hours, hourly counters), then 30 days (daily counters).
        var day = await queries.GetAsync(null, null, null, CancellationToken.None);
        var month = await queries.GetAsync(null, DateTimeOffset.UtcNow.AddDays(-30), null, CancellationToken.None);

        foreach (var stats in new[] { day, month })
        {
            Assert.Equal(7, stats.Total);
            Assert.Equal(new[] { ("PROXY_ERROR", 3L), ("STATUS_429", 3L), ("PROFILE_NOT_FOUND", 1L) }, stats.Codes.Select(c => (c.Code, c.Count)));
            Assert.Equal(expected, stats.ByAccount.Select(a => (a.AccountId, a.Code, a.Count)));
        }
        // The month is read by day: its series is one point per day and code.
        Assert.All(month.Series, s => Assert.Equal(TimeSpan.Zero, s.Hour.TimeOfDay));

        // One account: its rows only, over both ranges.
        var one = await queries.GetAsync("acc-1", null, null, CancellationToken.None);
        var oneMonth = await queries.GetAsync("acc-1", DateTimeOffset.UtcNow.AddDays(-30), null, CancellationToken.None);
        Assert.All(new[] { one, oneMonth }, stats => Assert.Equal(expected.Where(e => e.Item1 == "acc-1"), stats.ByAccount.Select(a => (a.AccountId, a.Code, a.Count))));
    }
}
