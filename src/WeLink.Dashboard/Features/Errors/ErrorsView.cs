using System.Globalization;
using MudBlazor;
using WeLink.Dashboard.Features.Events;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Errors;

/// <summary>What the errors page shows, worked out without rendering.</summary>
public static class ErrorsView
{
    public const int ChartCodes = 12;

    /// <summary>Change against the previous period of the same length; more errors is bad (red).</summary>
    public static Trend TrendOf(long count, long previous)
    {
        if (count == previous) return new Trend("no change", Icons.Material.Filled.TrendingFlat, Color.Default);
        if (previous == 0) return new Trend("new", Icons.Material.Filled.TrendingUp, Color.Error);
        var change = (count - previous) * 100.0 / previous;
        var text = (change > 0 ? "+" : "−") + Math.Abs(change).ToString(Math.Abs(change) < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + "%";
        return change > 0
            ? new Trend(text, Icons.Material.Filled.TrendingUp, Color.Error)
            : new Trend(text, Icons.Material.Filled.TrendingDown, Color.Success);
    }

    /// <summary>One row per account (unattributed included), busiest first, codes busiest first.</summary>
    public static IReadOnlyList<AccountErrorRow> ByAccount(IEnumerable<AccountErrorCount> counts) =>
        counts.GroupBy(c => c.AccountId)
            .Select(g => new AccountErrorRow(g.Key, g.Sum(c => c.Count),
                g.GroupBy(c => c.Code).Select(x => (x.Key, x.Sum(c => c.Count))).OrderByDescending(x => x.Item2).ThenBy(x => x.Key, StringComparer.Ordinal).ToList())
            {
                Account = g.Key is null ? null : new AccountName(g.Key, g.First().DisplayName, g.First().Email),
            })
            .OrderByDescending(r => r.Total).ThenBy(r => r.AccountId, StringComparer.Ordinal)
            .ToList();

    /// <summary>The bar chart: the busiest codes, this period beside the previous one.</summary>
    public static (string[] Labels, List<ChartSeries<double>> Series) Chart(IReadOnlyList<ErrorCodeTrend> codes)
    {
        var top = codes.Take(ChartCodes).ToList();
        return (top.Select(c => c.Code).ToArray(),
        [
            new ChartSeries<double> { Name = "This period", Data = top.Select(c => (double)c.Count).ToArray() },
            new ChartSeries<double> { Name = "Previous period", Data = top.Select(c => (double)c.PreviousCount).ToArray() },
        ]);
    }

    /// <summary>The event log showing the events behind a count.</summary>
    public static string EventLogUrl(StatsRange range, DateTimeOffset now, string? account, string? code)
    {
        var (since, until) = range.EventLogWindow(now);
        return DashboardUrls.EventLog(new EventFilter(Account: account, ErrorCode: code, Since: since, Until: until));
    }
}
