using System.Globalization;
using MudBlazor;
using WeLink.Dashboard.Features.Events;
using WeLink.Dashboard.Features.Shared;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Connections;

/// <summary>What the connections page shows, worked out without rendering.</summary>
public static class ConnectionsView
{
    /// <summary>At most this many x-axis labels are written; the others stay blank so they never overlap.</summary>
    public const int MaxLabels = 12;

    /// <summary>Hourly up to two days, then six-hourly up to eight days, then daily: a readable number of bars.</summary>
    public static TimeSpan BucketSize(TimeSpan range) =>
        range <= TimeSpan.FromHours(48) ? TimeSpan.FromHours(1)
        : range <= TimeSpan.FromDays(8) ? TimeSpan.FromHours(6)
        : TimeSpan.FromDays(1);

    /// <summary>
    /// Every bucket of the range, empty ones included (the counters only hold hours that saw
    /// events), aligned to the operator's clock so a day bucket is their day.
    /// </summary>
    public static IReadOnlyList<ConnectionBucket> Buckets(IEnumerable<HourlyConnections> perHour, DateTimeOffset since, DateTimeOffset until, TimeSpan offset)
    {
        var size = BucketSize(until - since);
        var first = Floor(since, size, offset);
        var count = (int)Math.Ceiling((until - first) / size);
        count = Math.Clamp(count, 1, 2000);
        var sent = new long[count];
        var failed = new long[count];
        foreach (var hour in perHour)
        {
            var index = (int)Math.Floor((hour.Hour - first) / size);
            if (index < 0 || index >= count) continue;
            sent[index] += hour.Sent;
            failed[index] += hour.Failed;
        }
        return Enumerable.Range(0, count).Select(i => new ConnectionBucket(first + size * i, sent[i], failed[i])).ToList();
    }

    public static ConnectionChart Chart(IReadOnlyList<ConnectionBucket> buckets, TimeSpan offset, bool use24HourClock)
    {
        var size = buckets.Count > 1 ? buckets[1].Start - buckets[0].Start : TimeSpan.FromHours(1);
        var step = Math.Max(1, (int)Math.Ceiling(buckets.Count / (double)MaxLabels));
        var labels = buckets.Select((b, i) => i % step == 0 ? Label(b.Start.ToOffset(offset), size, use24HourClock, i == 0 || b.Start.ToOffset(offset).TimeOfDay < size) : "").ToArray();
        List<ChartSeries<double>> series =
        [
            new() { Name = "Sent", Data = buckets.Select(b => (double)b.Sent).ToArray() },
            new() { Name = "Failed", Data = buckets.Select(b => (double)b.Failed).ToArray() },
        ];
        var name = size == TimeSpan.FromHours(1) ? "per hour" : size == TimeSpan.FromDays(1) ? "per day" : "per 6 hours";
        return new ConnectionChart(labels, series, name);
    }

    /// <summary>Hour labels name the day only where a new day starts.</summary>
    private static string Label(DateTimeOffset local, TimeSpan size, bool use24HourClock, bool showDay)
    {
        var clock = use24HourClock ? "HH:mm" : "h tt";
        if (size >= TimeSpan.FromDays(1)) return local.ToString("MMM d", CultureInfo.InvariantCulture);
        return local.ToString(showDay ? "MMM d " + clock : clock, CultureInfo.InvariantCulture);
    }

    private static DateTimeOffset Floor(DateTimeOffset at, TimeSpan size, TimeSpan offset)
    {
        var local = at.ToOffset(offset);
        var ticks = local.Ticks - local.Ticks % size.Ticks;
        return new DateTimeOffset(ticks, offset).ToUniversalTime();
    }

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString(r is > 0 and < 0.1 ? "0.0" : "0", CultureInfo.InvariantCulture) + "%" : "—";

    public static Color RateColor(double? rate) => rate switch
    {
        null => Color.Default,
        >= 0.9 => Color.Success,
        >= 0.7 => Color.Warning,
        _ => Color.Error,
    };

    /// <summary>The failed connection requests behind a failure reason, in the event log.</summary>
    public static string FailuresUrl(StatsRange range, DateTimeOffset now, string? account, string reason)
    {
        var (since, until) = range.EventLogWindow(now);
        var code = reason.StartsWith('(') ? null : reason;
        return DashboardUrls.EventLog(new EventFilter(Type: EventTypes.ConnectionFailed, Account: account, ErrorCode: code, Since: since, Until: until));
    }

    public static string EventsUrl(StatsRange range, DateTimeOffset now, string? account, string type)
    {
        var (since, until) = range.EventLogWindow(now);
        return DashboardUrls.EventLog(new EventFilter(Type: type, Account: account, Since: since, Until: until));
    }
}
