using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data.Sql;

namespace WeLink.Dashboard.Data;

/// <summary>One counter row, hourly or daily (a member-init type, so queries can go on composing over it).</summary>
public sealed class CounterRow
{
    public long Bucket { get; init; }
    public string AccountKey { get; init; } = "";
    public string EventType { get; init; } = "";
    public string ErrorCode { get; init; } = "";
    public long Count { get; init; }
}

/// <summary>Errors of one account (the key; empty for unattributed events) and code, summed over a range.</summary>
public sealed class AccountErrorCountRow
{
    public string AccountKey { get; init; } = "";
    public string ErrorCode { get; init; } = "";
    public long Count { get; init; }
}

/// <summary>
/// Reads the event counters for a time range: hourly buckets for ranges of up to two days, daily
/// buckets beyond (and for "all time"), so a 30-day breakdown reads a few thousand rows instead of
/// a log of a million events. A range covers every bucket it touches.
/// </summary>
public static class EventCounters
{
    public const long HourMs = 3_600_000;
    public const long DayMs = 86_400_000;
    public static readonly TimeSpan HourlyUpTo = TimeSpan.FromHours(48);

    /// <summary>The bucket size a range is read with.</summary>
    public static long BucketFor(DateTimeOffset? since, DateTimeOffset? until) =>
        since is { } s && (until ?? DateTimeOffset.MaxValue) - s <= HourlyUpTo ? HourMs : DayMs;

    public static IQueryable<CounterRow> Range(DashboardDbContext db, long bucket, DateTimeOffset? since, DateTimeOffset? until, string? accountKey = null)
    {
        var from = since is { } s ? Floor(s, bucket) : long.MinValue;
        var to = until is { } u ? Ceiling(u, bucket) : long.MaxValue;
        if (bucket == HourMs)
        {
            var hourly = db.HourlyEventCounts.Where(c => c.Hour >= from && c.Hour < to);
            if (accountKey is not null) hourly = hourly.Where(c => c.AccountKey == accountKey);
            return hourly.Select(c => new CounterRow { Bucket = c.Hour, AccountKey = c.AccountKey, EventType = c.EventType, ErrorCode = c.ErrorCode, Count = c.Count });
        }
        var daily = db.DailyEventCounts.Where(c => c.Day >= from && c.Day < to);
        if (accountKey is not null) daily = daily.Where(c => c.AccountKey == accountKey);
        return daily.Select(c => new CounterRow { Bucket = c.Day, AccountKey = c.AccountKey, EventType = c.EventType, ErrorCode = c.ErrorCode, Count = c.Count });
    }

    /// <summary>
    /// Rows that carry an error code, from the error-only counters (no event type, no events without a
    /// code): over hours <c>HourlyErrorCounts</c>, over days <c>DailyErrorCounts</c>, a fraction of the size.
    /// One account over hours reads its own rows of the hourly counters instead, found by their (account,
    /// hour) index: fewer than every account's error rows of the range, which the error counters' key holds in hour order.
    /// </summary>
    public static IQueryable<CounterRow> ErrorRange(DashboardDbContext db, long bucket, DateTimeOffset? since, DateTimeOffset? until, string? accountKey = null)
    {
        var from = since is { } s ? Floor(s, bucket) : long.MinValue;
        var to = until is { } u ? Ceiling(u, bucket) : long.MaxValue;
        if (bucket == HourMs)
        {
            if (accountKey is not null) return Range(db, bucket, since, until, accountKey).Where(c => c.ErrorCode != "");
            return db.HourlyErrorCounts.Where(c => c.Hour >= from && c.Hour < to)
                .Select(c => new CounterRow { Bucket = c.Hour, AccountKey = c.AccountKey, EventType = "", ErrorCode = c.ErrorCode, Count = c.Count });
        }
        var daily = db.DailyErrorCounts.Where(c => c.Day >= from && c.Day < to);
        if (accountKey is not null) daily = daily.Where(c => c.AccountKey == accountKey);
        return daily.Select(c => new CounterRow { Bucket = c.Day, AccountKey = c.AccountKey, EventType = "", ErrorCode = c.ErrorCode, Count = c.Count });
    }

    /// <summary>
    /// Errors per account and code in a range, for the whole fleet or one account. Fleet-wide over days from each
    /// pair's running totals (<see cref="CounterSql.ErrorsByAccountOverDaysAsync"/>), a few seeks per pair however
    /// long the range; otherwise the range's error rows, summed.
    /// </summary>
    public static async Task<List<AccountErrorCountRow>> ErrorsByAccountAsync(DashboardDbContext db, long bucket, DateTimeOffset? since, DateTimeOffset? until, string? accountKey, CancellationToken cancellationToken)
    {
        if (bucket == DayMs && accountKey is null)
            return await db.ErrorsByAccountOverDaysAsync(since is { } s ? Floor(s, bucket) : long.MinValue, until is { } u ? Ceiling(u, bucket) : long.MaxValue, cancellationToken);
        return await ErrorsByAccountSummed(db, bucket, since, until, accountKey).ToListAsync(cancellationToken);
    }

    /// <summary>Errors per account and code in a range, the range's error rows summed (every read but the fleet-wide one over days).</summary>
    public static IQueryable<AccountErrorCountRow> ErrorsByAccountSummed(DashboardDbContext db, long bucket, DateTimeOffset? since, DateTimeOffset? until, string? accountKey = null) =>
        ErrorRange(db, bucket, since, until, accountKey)
            .GroupBy(c => new { c.AccountKey, c.ErrorCode })
            .Select(g => new AccountErrorCountRow { AccountKey = g.Key.AccountKey, ErrorCode = g.Key.ErrorCode, Count = g.Sum(c => c.Count) });

    /// <summary>
    /// Per-code totals over the whole fleet, from the per-hour and per-day, per-code tables: a row per bucket
    /// and code, whatever the number of accounts (48 hours at 1,000,000 events: 430 rows instead of 10,609).
    /// </summary>
    public static IQueryable<CounterRow> CodeTotals(DashboardDbContext db, long bucket, DateTimeOffset? since, DateTimeOffset? until)
    {
        var from = since is { } s ? Floor(s, bucket) : long.MinValue;
        var to = until is { } u ? Ceiling(u, bucket) : long.MaxValue;
        if (bucket == HourMs)
            return db.HourlyCodeTotals.Where(c => c.Hour >= from && c.Hour < to)
                .Select(c => new CounterRow { Bucket = c.Hour, AccountKey = "", EventType = "", ErrorCode = c.ErrorCode, Count = c.Count });
        return db.DailyCodeTotals.Where(c => c.Day >= from && c.Day < to)
            .Select(c => new CounterRow { Bucket = c.Day, AccountKey = "", EventType = "", ErrorCode = c.ErrorCode, Count = c.Count });
    }

    /// <summary>The longest range, in days, that <see cref="NamedDays"/> names (the default retention is 90 days).</summary>
    public const int NamedDaysUpTo = 100;

    /// <summary>
    /// The start of every day a bounded range touches, for a read that seeks day by day in an index that
    /// begins with the day; null for an open range or one of more than <see cref="NamedDaysUpTo"/> days.
    /// </summary>
    public static long[]? NamedDays(DateTimeOffset? since, DateTimeOffset? until)
    {
        if (since is not { } s || until is not { } u) return null;
        var from = Floor(s, DayMs);
        var to = Ceiling(u, DayMs);
        if (to <= from || (to - from) / DayMs > NamedDaysUpTo) return null;
        var days = new long[(to - from) / DayMs];
        for (var i = 0; i < days.Length; i++) days[i] = from + i * DayMs;
        return days;
    }

    public static long Floor(DateTimeOffset at, long bucket)
    {
        var ms = at.ToUnixTimeMilliseconds();
        return ms - ((ms % bucket) + bucket) % bucket;
    }

    public static long Ceiling(DateTimeOffset at, long bucket)
    {
        var floor = Floor(at, bucket);
        return floor == at.ToUnixTimeMilliseconds() ? floor : floor + bucket;
    }
}
