using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Errors;

public sealed record ErrorCodeCount(string Code, long Count, string Meaning, string Advice, bool Documented);

public sealed record ErrorCodeTrend(string Code, long Count, long PreviousCount, string Meaning, string Advice, bool Documented);

public sealed record AccountErrorCount(string? AccountId, string Code, long Count);

/// <param name="Series">Counts per bucket (an hour for ranges up to two days, else a day) and code; <c>Hour</c> is the bucket's start.</param>
public sealed record ErrorStats(
    DateTimeOffset Since,
    DateTimeOffset Until,
    long Total,
    long PreviousTotal,
    IReadOnlyList<ErrorCodeTrend> Codes,
    IReadOnlyList<AccountErrorCount> ByAccount,
    IReadOnlyList<(DateTimeOffset Hour, string Code, long Count)> Series);

/// <summary>Error breakdowns from the hourly and daily counters; never scans the log.</summary>
public sealed class ErrorStatsQueries(IDbContextFactory<DashboardDbContext> contexts, TimeProvider time)
{
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);

    public async Task<ErrorStats> GetAsync(string? account, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var to = until ?? time.GetUtcNow();
        var from = since ?? to - DefaultRange;
        if (from >= to) from = to - DefaultRange;
        var previousFrom = from - (to - from);
        var bucket = EventCounters.BucketFor(from, to);

        // One read covers the range and the period before it, grouped in the database.
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await EventCounters.Range(db, bucket, previousFrom, to, AccountKey(account))
            .Where(c => c.ErrorCode != "")
            .GroupBy(c => new { c.Bucket, c.AccountKey, c.ErrorCode })
            .Select(g => new { g.Key.Bucket, g.Key.AccountKey, g.Key.ErrorCode, Count = g.Sum(c => c.Count) })
            .ToListAsync(cancellationToken);

        var start = EventCounters.Floor(from, bucket);
        var current = rows.Where(r => r.Bucket >= start).ToList();
        var previous = rows.Where(r => r.Bucket < start).GroupBy(r => r.ErrorCode).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));
        var perCode = current.GroupBy(r => r.ErrorCode).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));

        var codes = perCode.Keys.Union(previous.Keys)
            .Select(code =>
            {
                var info = ErrorCodes.Describe(code);
                return new ErrorCodeTrend(code, perCode.GetValueOrDefault(code), previous.GetValueOrDefault(code),
                    info.Meaning, info.Advice, ErrorCodes.Documented.ContainsKey(code));
            })
            .OrderByDescending(c => c.Count).ThenBy(c => c.Code, StringComparer.Ordinal)
            .ToList();
        var byAccount = current.GroupBy(r => (r.AccountKey, r.ErrorCode))
            .Select(g => new AccountErrorCount(g.Key.AccountKey.Length == 0 ? null : g.Key.AccountKey, g.Key.ErrorCode, g.Sum(r => r.Count)))
            .OrderByDescending(a => a.Count).ThenBy(a => a.AccountId, StringComparer.Ordinal).ToList();
        var series = current.GroupBy(r => (r.Bucket, r.ErrorCode)).OrderBy(g => g.Key.Bucket)
            .Select(g => (DateTimeOffset.FromUnixTimeMilliseconds(g.Key.Bucket), g.Key.ErrorCode, g.Sum(r => r.Count))).ToList();

        return new ErrorStats(from, to, codes.Sum(c => c.Count), codes.Sum(c => c.PreviousCount), codes, byAccount, series);
    }

    /// <summary>Counts per code, for one account or all, in an optional range.</summary>
    public static async Task<IReadOnlyList<ErrorCodeCount>> CountByCodeAsync(DashboardDbContext db, string? account, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var rows = await EventCounters.Range(db, EventCounters.BucketFor(since, until), since, until, AccountKey(account))
            .Where(c => c.ErrorCode != "")
            .GroupBy(c => c.ErrorCode)
            .Select(g => new { Code = g.Key, Count = g.Sum(c => c.Count) }).ToListAsync(cancellationToken);
        return rows.OrderByDescending(r => r.Count).ThenBy(r => r.Code, StringComparer.Ordinal).Select(r =>
        {
            var info = ErrorCodes.Describe(r.Code);
            return new ErrorCodeCount(r.Code, r.Count, info.Meaning, info.Advice, ErrorCodes.Documented.ContainsKey(r.Code));
        }).ToList();
    }

    /// <summary>The counters' account key: empty for unattributed events.</summary>
    public static string? AccountKey(string? account) =>
        account is null ? null : account == Events.EventFilter.Unattributed ? "" : account;

    /// <summary>Counters are hourly at the finest: a range covers every hour it touches.</summary>
    public static long HourFloor(DateTimeOffset at) => EventCounters.Floor(at, EventCounters.HourMs);

    public static long HourCeiling(DateTimeOffset at) => EventCounters.Ceiling(at, EventCounters.HourMs);
}
