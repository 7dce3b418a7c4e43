using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Connections;

/// <summary>Connection outcomes from the hourly and daily counters.</summary>
public sealed class ConnectionStatsQueries(IDbContextFactory<DashboardDbContext> contexts, TimeProvider time)
{
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(7);

    public async Task<ConnectionStats> GetAsync(string? account, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var to = until ?? time.GetUtcNow();
        var from = since ?? to - DefaultRange;
        if (from >= to) from = to - DefaultRange;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await Connections(db, EventCounters.BucketFor(from, to), from, to, account)
            .GroupBy(c => new { c.Bucket, c.AccountKey, c.EventType, c.ErrorCode })
            .Select(g => new { g.Key.Bucket, g.Key.AccountKey, g.Key.EventType, g.Key.ErrorCode, Count = g.Sum(c => c.Count) })
            .ToListAsync(cancellationToken);

        static bool IsSent(string type) => type == EventTypes.ConnectionSent;
        var perBucket = rows.GroupBy(r => r.Bucket).OrderBy(g => g.Key)
            .Select(g => new HourlyConnections(DateTimeOffset.FromUnixTimeMilliseconds(g.Key),
                g.Where(r => IsSent(r.EventType)).Sum(r => r.Count), g.Where(r => !IsSent(r.EventType)).Sum(r => r.Count)))
            .ToList();
        var names = await AccountNameQueries.LookupAsync(db, rows.Select(r => r.AccountKey), cancellationToken);
        var perAccount = rows.GroupBy(r => r.AccountKey)
            .Select(g => new AccountConnections(g.Key.Length == 0 ? null : g.Key,
                g.Where(r => IsSent(r.EventType)).Sum(r => r.Count),
                g.Where(r => !IsSent(r.EventType)).Sum(r => r.Count),
                g.Where(r => !IsSent(r.EventType)).GroupBy(r => r.ErrorCode.Length == 0 ? "(no code)" : r.ErrorCode)
                    .Select(x => (x.Key, x.Sum(r => r.Count))).OrderByDescending(x => x.Item2).ToList())
            {
                DisplayName = names.GetValueOrDefault(g.Key)?.DisplayName,
                Email = names.GetValueOrDefault(g.Key)?.Email,
            })
            .OrderByDescending(a => a.Sent + a.Failed).ThenBy(a => a.AccountId, StringComparer.Ordinal)
            .ToList();
        return new ConnectionStats(from, to, new ConnectionTotals(perAccount.Sum(a => a.Sent), perAccount.Sum(a => a.Failed)), perBucket, perAccount);
    }

    /// <summary>Fleet totals over a range, e.g. the operator's day so far.</summary>
    public async Task<ConnectionTotals> TotalsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await TotalsAsync(db, null, since, until, cancellationToken);
    }

    public static async Task<ConnectionTotals> TotalsAsync(DashboardDbContext db, string? account, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var rows = await Connections(db, EventCounters.BucketFor(since, until), since, until, account).GroupBy(c => c.EventType)
            .Select(g => new { Type = g.Key, Count = g.Sum(c => c.Count) }).ToListAsync(cancellationToken);
        return new ConnectionTotals(
            rows.Where(r => r.Type == EventTypes.ConnectionSent).Sum(r => r.Count),
            rows.Where(r => r.Type == EventTypes.ConnectionFailed).Sum(r => r.Count));
    }

    internal static IQueryable<CounterRow> Connections(DashboardDbContext db, long bucket, DateTimeOffset? since, DateTimeOffset? until, string? account) =>
        EventCounters.Range(db, bucket, since, until, CounterRange.AccountKey(account))
            .Where(c => c.EventType == EventTypes.ConnectionSent || c.EventType == EventTypes.ConnectionFailed);
}
