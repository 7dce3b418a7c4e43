using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Connections;
using WeLink.Dashboard.Features.Errors;

namespace WeLink.Dashboard.Features.Accounts;

/// <summary>Accounts with their effective login state, read from the projections.</summary>
public sealed class AccountQueries(IDbContextFactory<DashboardDbContext> contexts, TimeProvider time)
{
    public async Task<IReadOnlyList<AccountRow>> ListAsync(string? search, LoginState? state, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Accounts.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = "%" + search.Trim().ToLowerInvariant().Replace("%", "").Replace("_", "") + "%";
            query = query.Where(a => EF.Functions.Like(a.AccountId.ToLower(), pattern)
                || (a.Email != null && EF.Functions.Like(a.Email, pattern))
                || (a.DisplayName != null && EF.Functions.Like(a.DisplayName.ToLower(), pattern)));
        }
        var accounts = await query.OrderBy(a => a.AccountId).ToListAsync(cancellationToken);
        var pins = await PendingPinsByAccountAsync(db, cancellationToken);
        var now = time.GetUtcNow();
        var rows = accounts.Select(a => ToRow(a, pins.GetValueOrDefault(a.AccountId), now));
        return (state is { } wanted ? rows.Where(r => r.State == wanted) : rows).ToList();
    }

    public async Task<AccountDetail?> GetAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.AccountId == accountId, cancellationToken);
        if (account is null) return null;

        var pin = await db.PinRequests.AsNoTracking()
            .Where(p => p.AccountId == accountId && (p.Status == PinRequestStatus.Pending || p.Status == PinRequestStatus.Submitted))
            .OrderByDescending(p => p.RequestedAt).FirstOrDefaultAsync(cancellationToken);
        var history = await db.AccountStateChanges.AsNoTracking().Where(c => c.AccountId == accountId)
            .OrderByDescending(c => c.Id).Take(100).ToListAsync(cancellationToken);
        var submissions = await db.PinSubmissions.AsNoTracking().Where(s => s.AccountId == accountId)
            .OrderByDescending(s => s.SubmittedAt).Take(50).ToListAsync(cancellationToken);
        var errors = await ErrorStatsQueries.CountByCodeAsync(db, accountId, null, null, cancellationToken);
        var connections = await ConnectionStatsQueries.TotalsAsync(db, accountId, null, null, cancellationToken);

        return new AccountDetail(
            ToRow(account, pin, time.GetUtcNow()),
            history.Select(c => new StateChangeRow(c.State, c.ErrorCode, DateTimeOffset.FromUnixTimeMilliseconds(c.At), c.EventId)).ToList(),
            errors,
            connections,
            submissions.Select(s => new PinSubmissionRow(s.RequestId, s.SubmittedBy, DateTimeOffset.FromUnixTimeMilliseconds(s.SubmittedAt), s.Outcome, s.Detail)).ToList());
    }

    private static async Task<Dictionary<string, PinRequest>> PendingPinsByAccountAsync(DashboardDbContext db, CancellationToken cancellationToken)
    {
        var pending = await db.PinRequests.AsNoTracking()
            .Where(p => p.AccountId != null && (p.Status == PinRequestStatus.Pending || p.Status == PinRequestStatus.Submitted))
            .ToListAsync(cancellationToken);
        return pending.GroupBy(p => p.AccountId!).ToDictionary(g => g.Key, g => g.MaxBy(p => p.RequestedAt)!);
    }

    private static AccountRow ToRow(Account a, PinRequest? pin, DateTimeOffset now)
    {
        var pending = pin is not null && pin.ExpiresAt > now.ToUnixTimeMilliseconds()
            ? new PendingPinInfo(pin.RequestId, DateTimeOffset.FromUnixTimeMilliseconds(pin.RequestedAt), DateTimeOffset.FromUnixTimeMilliseconds(pin.ExpiresAt), pin.Status)
            : null;
        return new AccountRow(a.AccountId, a.Email, a.DisplayName, AccountStates.Effective(a, now), a.StateErrorCode,
            FromMs(a.StateChangedAt), FromMs(a.LastEventAt), a.LastEventType, a.LastErrorCode, pending, a.EventCount, a.KnownToWeLink);
    }

    private static DateTimeOffset? FromMs(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
