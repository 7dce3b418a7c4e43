using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Pins;

/// <summary>Pending PIN requests (oldest first) and their history.</summary>
public sealed class PinQueries(IDbContextFactory<DashboardDbContext> contexts, TimeProvider time)
{
    public async Task<IReadOnlyList<PinRequestRow>> PendingAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.PinRequests.AsNoTracking()
            .Where(p => (p.Status == PinRequestStatus.Pending || p.Status == PinRequestStatus.Submitted) && p.ExpiresAt > now)
            .OrderBy(p => p.RequestedAt).ToListAsync(cancellationToken);
        return await WithNamesAsync(db, rows, cancellationToken);
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
