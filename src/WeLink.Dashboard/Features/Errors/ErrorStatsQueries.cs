using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Errors;

public sealed record ErrorCodeCount(string Code, long Count, string Meaning, string Advice, bool Documented);

public sealed record ErrorCodeTrend(string Code, long Count, long PreviousCount, string Meaning, string Advice, bool Documented);

public sealed record AccountErrorCount(string? AccountId, string Code, long Count);

public sealed record ErrorStats(
    DateTimeOffset Since,
    DateTimeOffset Until,
    long Total,
    long PreviousTotal,
    IReadOnlyList<ErrorCodeTrend> Codes,
    IReadOnlyList<AccountErrorCount> ByAccount,
    IReadOnlyList<(DateTimeOffset Hour, string Code, long Count)> Series);

/// <summary>Error breakdowns from the hourly counters; never scans the log.</summary>
public sealed class ErrorStatsQueries(IDbContextFactory<DashboardDbContext> contexts, TimeProvider time)
{
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);

    public async Task<ErrorStats> GetAsync(string? account, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var to = until ?? time.GetUtcNow();
        var from = since ?? to - DefaultRange;
        if (from >= to) from = to - DefaultRange;
        var previousFrom = from - (to - from);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var current = Range(db, account, from, to);
        var perCode = await current.GroupBy(c => c.ErrorCode).Select(g => new { Code = g.Key, Count = g.Sum(c => c.Count) }).ToListAsync(cancellationToken);
        var previous = await Range(db, account, previousFrom, from).GroupBy(c => c.ErrorCode)
            .Select(g => new { Code = g.Key, Count = g.Sum(c => c.Count) }).ToDictionaryAsync(x => x.Code, x => x.Count, cancellationToken);
        var byAccount = await current.GroupBy(c => new { c.AccountKey, c.ErrorCode })
            .Select(g => new { g.Key.AccountKey, g.Key.ErrorCode, Count = g.Sum(c => c.Count) }).ToListAsync(cancellationToken);
        var series = await current.GroupBy(c => new { c.Hour, c.ErrorCode })
            .Select(g => new { g.Key.Hour, g.Key.ErrorCode, Count = g.Sum(c => c.Count) }).ToListAsync(cancellationToken);

        var codes = perCode.Select(c => c.Code).Union(previous.Keys)
            .Select(code =>
            {
                var info = ErrorCodes.Describe(code);
                return new ErrorCodeTrend(code, perCode.FirstOrDefault(c => c.Code == code)?.Count ?? 0, previous.GetValueOrDefault(code),
                    info.Meaning, info.Advice, ErrorCodes.Documented.ContainsKey(code));
            })
            .Where(c => c.Count > 0 || c.PreviousCount > 0)
            .OrderByDescending(c => c.Count).ThenBy(c => c.Code, StringComparer.Ordinal)
            .ToList();

        return new ErrorStats(from, to, codes.Sum(c => c.Count), codes.Sum(c => c.PreviousCount), codes,
            byAccount.OrderByDescending(a => a.Count).Select(a => new AccountErrorCount(a.AccountKey.Length == 0 ? null : a.AccountKey, a.ErrorCode, a.Count)).ToList(),
            series.OrderBy(s => s.Hour).Select(s => (DateTimeOffset.FromUnixTimeMilliseconds(s.Hour), s.ErrorCode, s.Count)).ToList());
    }

    /// <summary>Counts per code, for one account or all, in an optional range.</summary>
    public static async Task<IReadOnlyList<ErrorCodeCount>> CountByCodeAsync(DashboardDbContext db, string? account, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var rows = await Range(db, account, since, until).GroupBy(c => c.ErrorCode)
            .Select(g => new { Code = g.Key, Count = g.Sum(c => c.Count) }).ToListAsync(cancellationToken);
        return rows.OrderByDescending(r => r.Count).Select(r =>
        {
            var info = ErrorCodes.Describe(r.Code);
            return new ErrorCodeCount(r.Code, r.Count, info.Meaning, info.Advice, ErrorCodes.Documented.ContainsKey(r.Code));
        }).ToList();
    }

    private static IQueryable<HourlyEventCount> Range(DashboardDbContext db, string? account, DateTimeOffset? since, DateTimeOffset? until)
    {
        var query = db.HourlyEventCounts.AsNoTracking().Where(c => c.ErrorCode != "");
        if (account is not null) query = query.Where(c => c.AccountKey == (account == Events.EventFilter.Unattributed ? "" : account));
        if (since is { } s) query = query.Where(c => c.Hour >= HourFloor(s));
        if (until is { } u) query = query.Where(c => c.Hour < HourCeiling(u));
        return query;
    }

    /// <summary>Counters are hourly: a range covers every hour it touches.</summary>
    public static long HourFloor(DateTimeOffset at)
    {
        var ms = at.ToUnixTimeMilliseconds();
        return ms - ms % Ingest.EventProjections.HourMs;
    }

    public static long HourCeiling(DateTimeOffset at)
    {
        var floor = HourFloor(at);
        return floor == at.ToUnixTimeMilliseconds() ? floor : floor + Ingest.EventProjections.HourMs;
    }
}
