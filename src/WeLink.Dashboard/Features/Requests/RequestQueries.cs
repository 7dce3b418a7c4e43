using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Requests;

/// <summary>The Requests page's and <c>GET /api/requests</c>'s filters, as in the URL.</summary>
public sealed record RequestFilter(
    string? Account = null,
    string? Action = null,
    RequestState? State = null,
    string? Caller = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null)
{
    public static readonly RequestFilter None = new();
}

/// <summary>One tracked request as the page and the API show it.</summary>
public sealed record RequestRow(
    string RequestId, string? Action, string? AccountId, string? DisplayName, string? Caller, RequestState State,
    DateTimeOffset RequestedAt, DateTimeOffset StateSince, long? OutcomeEventId);

public sealed record RequestPage(IReadOnlyList<RequestRow> Items, string? NextCursor);

/// <summary>How long requests of one action took from request to outcome.</summary>
public sealed record OutcomeTime(string Action, int Count, TimeSpan P50, TimeSpan P95);

/// <summary>Reads tracked requests (never the event log): keyset paging by (requested at, request id), newest first.</summary>
public sealed class RequestQueries(IDbContextFactory<DashboardDbContext> contexts)
{
    public const int MaxLimit = 500;

    /// <summary>How many of the latest settled requests the outcome times are taken over.</summary>
    public const int OutcomeSample = 5000;

    public async Task<RequestPage> ListAsync(RequestFilter filter, int limit, string? cursor, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, MaxLimit);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = Filtered(db, filter);
        if (ParseCursor(cursor) is { } after)
        {
            var (at, id) = after;
            query = query.Where(r => r.RequestedAt < at || (r.RequestedAt == at && string.Compare(r.RequestId, id) < 0));
        }
        var rows = await query.OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.RequestId).Take(limit + 1)
            .Select(r => new { r.RequestId, r.Action, r.AccountId, r.Caller, r.State, r.RequestedAt, r.StateSince, r.OutcomeEventId })
            .ToListAsync(cancellationToken);
        var names = await AccountNameQueries.LookupAsync(db, rows.Select(r => r.AccountId), cancellationToken);
        var items = rows.Take(limit).Select(r => new RequestRow(r.RequestId, r.Action, r.AccountId,
            r.AccountId is { } a && names.TryGetValue(a, out var n) ? n.DisplayName : null, r.Caller, r.State!.Value,
            DateTimeOffset.FromUnixTimeMilliseconds(r.RequestedAt ?? 0), DateTimeOffset.FromUnixTimeMilliseconds(r.StateSince ?? 0), r.OutcomeEventId)).ToList();
        var next = rows.Count > limit ? Cursor(items[^1]) : null;
        return new RequestPage(items, next);
    }

    /// <summary>How many tracked requests (matching the filter but its state) are in each state.</summary>
    public async Task<IReadOnlyDictionary<RequestState, int>> CountByStateAsync(RequestFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var counts = await Filtered(db, filter with { State = null }).GroupBy(r => r.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return counts.Where(c => c.Key is not null).ToDictionary(c => c.Key!.Value, c => c.Count);
    }

    /// <summary>p50/p95 of request → outcome per action, over the latest settled requests the filter selects.</summary>
    public async Task<IReadOnlyList<OutcomeTime>> OutcomeTimesAsync(RequestFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var done = await Filtered(db, filter with { State = RequestState.Done })
            .OrderByDescending(r => r.RequestedAt).Take(OutcomeSample)
            .Select(r => new { r.Action, Took = r.StateSince!.Value - r.RequestedAt!.Value })
            .ToListAsync(cancellationToken);
        return done.GroupBy(d => d.Action ?? "(unknown)").OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var sorted = g.Select(d => Math.Max(0, d.Took)).Order().ToArray();
                return new OutcomeTime(g.Key, sorted.Length, TimeSpan.FromMilliseconds(Percentile(sorted, 0.50)), TimeSpan.FromMilliseconds(Percentile(sorted, 0.95)));
            }).ToList();
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static long Percentile(IReadOnlyList<long> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    internal static IQueryable<TrackedRequest> Filtered(DashboardDbContext db, RequestFilter filter)
    {
        var query = db.Requests.AsNoTracking().Where(r => r.State != null);
        if (!string.IsNullOrWhiteSpace(filter.Account)) query = query.Where(r => r.AccountId == filter.Account.Trim());
        if (!string.IsNullOrWhiteSpace(filter.Action)) query = query.Where(r => r.Action == filter.Action.Trim());
        if (filter.State is { } state) query = query.Where(r => r.State == state);
        if (!string.IsNullOrWhiteSpace(filter.Caller)) query = query.Where(r => r.Caller == filter.Caller.Trim());
        if (filter.Since is { } since) query = query.Where(r => r.RequestedAt >= since.ToUnixTimeMilliseconds());
        if (filter.Until is { } until) query = query.Where(r => r.RequestedAt < until.ToUnixTimeMilliseconds());
        return query;
    }

    private static string Cursor(RequestRow row) =>
        row.RequestedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + ":" + row.RequestId;

    private static (long At, string RequestId)? ParseCursor(string? cursor)
    {
        if (cursor is null) return null;
        var split = cursor.IndexOf(':');
        if (split <= 0 || split == cursor.Length - 1) return null;
        return long.TryParse(cursor.AsSpan(0, split), NumberStyles.None, CultureInfo.InvariantCulture, out var at) ? (at, cursor[(split + 1)..]) : null;
    }

    public static bool IsValidCursor(string? cursor) => cursor is null || ParseCursor(cursor) is not null;
}
