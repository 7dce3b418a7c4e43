using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Shared;

/// <summary>How the stats pages address the hourly and daily counters: the account key and whole hours.</summary>
public static class CounterRange
{
    /// <summary>The counters' account key: empty for unattributed events (<see cref="AccountChoices.Unattributed"/>).</summary>
    public static string? AccountKey(string? account) =>
        account is null ? null : account == AccountChoices.Unattributed ? "" : account;

    /// <summary>Counters are hourly at the finest: a range covers every hour it touches.</summary>
    public static long HourFloor(DateTimeOffset at) => EventCounters.Floor(at, EventCounters.HourMs);

    public static long HourCeiling(DateTimeOffset at) => EventCounters.Ceiling(at, EventCounters.HourMs);
}
