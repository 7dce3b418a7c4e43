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
}
