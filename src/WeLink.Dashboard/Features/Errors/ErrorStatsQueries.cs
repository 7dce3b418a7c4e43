using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Errors;

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

        // Grouped in the database, so only small answers travel: per code (this period and the one
        // before), per account and code, per bucket and code.
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var start = EventCounters.Floor(from, bucket);
        var accountKey = CounterRange.AccountKey(account);
        var range = EventCounters.ErrorRange(db, bucket, previousFrom, to, accountKey);
        // Fleet-wide totals and series need no account: the per-day, per-code table is a fraction of the rows.
        var codeRange = accountKey is null ? EventCounters.CodeTotals(db, bucket, previousFrom, to) : range;
        // One read per bucket and code over both periods gives the totals and the series (a few hundred rows):
        // the counter table is read twice in all, not three times.
        var bucketRows = await codeRange.GroupBy(c => new { c.Bucket, c.ErrorCode })
            .Select(g => new { g.Key.Bucket, g.Key.ErrorCode, Count = g.Sum(c => c.Count) })
            .ToListAsync(cancellationToken);
        var byAccountRows = await EventCounters.ErrorsByAccountAsync(db, bucket, from, to, accountKey, cancellationToken);
        var seriesRows = bucketRows.Where(r => r.Bucket >= start).ToList();

        var perCode = seriesRows.GroupBy(r => r.ErrorCode).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));
        var previous = bucketRows.Where(r => r.Bucket < start).GroupBy(r => r.ErrorCode).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));

        var codes = perCode.Keys.Union(previous.Keys)
            .Select(code =>
            {
                var info = ErrorCodes.Describe(code);
                return new ErrorCodeTrend(code, perCode.GetValueOrDefault(code), previous.GetValueOrDefault(code),
                    info.Meaning, info.Advice, ErrorCodes.Documented.ContainsKey(code));
            })
            .OrderByDescending(c => c.Count).ThenBy(c => c.Code, StringComparer.Ordinal)
            .ToList();
        var names = await AccountNameQueries.LookupAsync(db, byAccountRows.Select(r => r.AccountKey), cancellationToken);
        var byAccount = byAccountRows
            .Select(r => new AccountErrorCount(r.AccountKey.Length == 0 ? null : r.AccountKey, r.ErrorCode, r.Count)
            {
                DisplayName = names.GetValueOrDefault(r.AccountKey)?.DisplayName,
                Email = names.GetValueOrDefault(r.AccountKey)?.Email,
            })
            .OrderByDescending(a => a.Count).ThenBy(a => a.AccountId, StringComparer.Ordinal).ThenBy(a => a.Code, StringComparer.Ordinal).ToList();
        var series = seriesRows.OrderBy(r => r.Bucket)
            .Select(r => (DateTimeOffset.FromUnixTimeMilliseconds(r.Bucket), r.ErrorCode, r.Count)).ToList();

        return new ErrorStats(from, to, codes.Sum(c => c.Count), codes.Sum(c => c.PreviousCount), codes, byAccount, series);
    }

    /// <summary>Counts per code, for one account or all, in an optional range.</summary>
    public static async Task<IReadOnlyList<ErrorCodeCount>> CountByCodeAsync(DashboardDbContext db, string? account, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var accountKey = CounterRange.AccountKey(account);
        var bucket = EventCounters.BucketFor(since, until);
        var range = accountKey is null ? EventCounters.CodeTotals(db, bucket, since, until) : EventCounters.ErrorRange(db, bucket, since, until, accountKey);
        var rows = await range
            .GroupBy(c => c.ErrorCode)
            .Select(g => new { Code = g.Key, Count = g.Sum(c => c.Count) }).ToListAsync(cancellationToken);
        return rows.OrderByDescending(r => r.Count).ThenBy(r => r.Code, StringComparer.Ordinal).Select(r =>
        {
            var info = ErrorCodes.Describe(r.Code);
            return new ErrorCodeCount(r.Code, r.Count, info.Meaning, info.Advice, ErrorCodes.Documented.ContainsKey(r.Code));
        }).ToList();
    }
}
