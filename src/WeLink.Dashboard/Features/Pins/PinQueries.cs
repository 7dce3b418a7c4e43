using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Pins;

/// <summary>Pending PIN requests (oldest first) and their history.</summary>
public sealed class PinQueries(IDbContextFactory<DashboardDbContext> contexts, TimeProvider time)
{
    /// <summary>Requests waiting for a PIN or for the outcome of one, oldest first; the <paramref name="limit"/> oldest when given.</summary>
    public async Task<IReadOnlyList<PinRequestRow>> PendingAsync(CancellationToken cancellationToken, int? limit = null)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.PinRequests.AsNoTracking()
            .Where(p => (p.Status == PinRequestStatus.Pending || p.Status == PinRequestStatus.Submitted) && p.ExpiresAt > now)
            .OrderBy(p => p.RequestedAt);
        var rows = await (limit is { } n ? query.Take(n) : query).ToListAsync(cancellationToken);
        return await WithNamesAsync(db, rows, cancellationToken);
    }

    /// <summary>
    /// How many requests wait for a PIN, how many were submitted and wait for their outcome, and when the
    /// oldest waiting one arrived: counted in SQL, for the badges and summaries every open page shows, so
    /// a fleet with thousands of requests waiting does not load them all for a number.
    /// </summary>
    public async Task<PinCounts> CountsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // One grouped read: a row per open status with its count and oldest request.
        var byStatus = await db.PinRequests
            .Where(p => (p.Status == PinRequestStatus.Pending || p.Status == PinRequestStatus.Submitted) && p.ExpiresAt > now)
            .GroupBy(p => p.Status)
            .Select(g => new { Status = g.Key, Count = g.Count(), Oldest = g.Min(p => p.RequestedAt) })
            .ToListAsync(cancellationToken);
        var pending = byStatus.FirstOrDefault(g => g.Status == PinRequestStatus.Pending);
        var waiting = pending?.Count ?? 0;
        var submitted = byStatus.FirstOrDefault(g => g.Status == PinRequestStatus.Submitted)?.Count ?? 0;
        long? oldest = pending?.Oldest;
        return new PinCounts(waiting, submitted, oldest is { } ms ? FromMs(ms) : null);
    }

    /// <summary>The <paramref name="limit"/> oldest requests waiting for a PIN, with their accounts' names.</summary>
    public async Task<IReadOnlyList<PinRequestRow>> OldestWaitingAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.PinRequests.AsNoTracking()
            .Where(p => p.Status == PinRequestStatus.Pending && p.ExpiresAt > now)
            .OrderBy(p => p.RequestedAt).Take(Math.Clamp(limit, 1, 500)).ToListAsync(cancellationToken);
        return await WithNamesAsync(db, rows, cancellationToken);
    }

    /// <summary>
    /// Of the given requests (by id) and accounts (for announcements without a request id), those still
    /// waiting for a PIN: what an open announcement needs to know, without reading every waiting request.
    /// </summary>
    public async Task<IReadOnlyList<(string RequestId, string? AccountId)>> StillWaitingAsync(
        IReadOnlyCollection<string> requestIds, IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken)
    {
        if (requestIds.Count == 0 && accountIds.Count == 0) return [];
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.PinRequests.AsNoTracking()
            .Where(p => p.Status == PinRequestStatus.Pending && p.ExpiresAt > now
                && (requestIds.Contains(p.RequestId) || (p.AccountId != null && accountIds.Contains(p.AccountId))))
            .Select(p => new { p.RequestId, p.AccountId }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.RequestId, r.AccountId)).ToList();
    }

    public async Task<IReadOnlyList<PinRequestRow>> HistoryAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.PinRequests.AsNoTracking()
            .Where(p => !((p.Status == PinRequestStatus.Pending || p.Status == PinRequestStatus.Submitted) && p.ExpiresAt > now))
            .OrderByDescending(p => p.RequestedAt).Take(Math.Clamp(limit, 1, 500)).ToListAsync(cancellationToken);
        return await WithNamesAsync(db, rows, cancellationToken);
    }

    public async Task<PinRequestRow?> GetAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.PinRequests.AsNoTracking().SingleOrDefaultAsync(p => p.RequestId == requestId, cancellationToken);
        return row is null ? null : (await WithNamesAsync(db, [row], cancellationToken))[0];
    }

    private static async Task<IReadOnlyList<PinRequestRow>> WithNamesAsync(DashboardDbContext db, IReadOnlyList<PinRequest> rows, CancellationToken cancellationToken)
    {
        var names = await AccountNameQueries.LookupAsync(db, rows.Select(r => r.AccountId), cancellationToken);
        var unattributed = rows.Where(r => r.AccountId is null).Select(r => r.RequestId).ToList();
        var pending = unattributed.Count == 0 ? new Dictionary<string, string>() : (await db.GatewayCalls.AsNoTracking()
                .Where(c => c.PendingEmail != null && c.RequestId != null && unattributed.Contains(c.RequestId))
                .Select(c => new { c.RequestId, c.PendingEmail }).ToListAsync(cancellationToken))
            .GroupBy(c => c.RequestId!).ToDictionary(g => g.Key, g => g.First().PendingEmail!);
        return rows.Select(r => ToRow(r) with
        {
            PendingEmail = r.AccountId is null && pending.TryGetValue(r.RequestId, out var e) ? e : null,
            DisplayName = r.AccountId is { } id && names.TryGetValue(id, out var n) ? n.DisplayName : null,
            Email = r.AccountId is { } id2 && names.TryGetValue(id2, out var m) ? m.Email : null,
        }).ToList();
    }

    private static PinRequestRow ToRow(PinRequest p) => new(
        p.RequestId, p.AccountId, FromMs(p.RequestedAt), FromMs(p.ExpiresAt), p.Status,
        p.SubmittedAt is { } s ? FromMs(s) : null, p.SubmittedBy, p.ResolvedAt is { } r ? FromMs(r) : null, p.OutcomeErrorCode, p.Message);

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

/// <summary>Requests waiting for a PIN, submitted ones waiting for their outcome, and when the oldest waiting one arrived.</summary>
public sealed record PinCounts(int Waiting, int Submitted, DateTimeOffset? OldestWaitingAt);
