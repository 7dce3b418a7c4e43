using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Connections;
using WeLink.Dashboard.Features.Errors;
using WeLink.Dashboard.Features.Gateway;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Accounts;

/// <summary>Accounts with their effective login state and health flags, read from the projections.</summary>
public sealed class AccountQueries(IDbContextFactory<DashboardDbContext> contexts, TimeProvider time, IEnumerable<IAccountHealthSource> healthSources,
    BudgetQueries budgets)
{
    private readonly IAccountHealthSource[] _healthSources = healthSources.ToArray();

    public Task<IReadOnlyList<AccountRow>> ListAsync(string? search, LoginState? state, CancellationToken cancellationToken) =>
        ListAsync(search, state, null, cancellationToken);

    /// <summary>Accounts matching the filters, what needs a person first (<see cref="AccountStates.UrgencyRank"/>), then by id.</summary>
    public async Task<IReadOnlyList<AccountRow>> ListAsync(string? search, LoginState? state, HealthFilter? health, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().OrderBy(a => a.AccountId).ToListAsync(cancellationToken);
        // Matched here, not in SQL: SQLite folds only ASCII case, and names are often not ASCII ("Ангелина",
        // "Łukasz"). The whole list is read anyway when there is no search; it is one row per account.
        if (!string.IsNullOrWhiteSpace(search))
            accounts = accounts.Where(a => new AccountName(a.AccountId, a.DisplayName, a.Email).Matches(search)).ToList();
        IEnumerable<AccountRow> rows = await RowsAsync(db, accounts, cancellationToken);
        if (state is { } wanted) rows = rows.Where(r => r.LoginState == wanted);
        if (health is not null) rows = rows.Where(r => health.Matches(r.Health));
        // Stable: within a rank the id order of the query stays.
        return rows.OrderBy(r => AccountStates.UrgencyRank(r.LoginState, r.Health)).ToList();
    }

    /// <summary>One account's row, or null.</summary>
    public async Task<AccountRow?> GetRowAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await RowAsync(db, accountId, cancellationToken);
    }

    /// <summary>
    /// The rows of these accounts (those that exist), read together: the same handful of queries for one account
    /// or two hundred, where one <see cref="GetRowAsync"/> each would run them all per account.
    /// </summary>
    public async Task<IReadOnlyList<AccountRow>> GetRowsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken)
    {
        if (accountIds.Count == 0) return [];
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.AccountId)).OrderBy(a => a.AccountId).ToListAsync(cancellationToken);
        return accounts.Count == 0 ? [] : await RowsAsync(db, accounts, cancellationToken);
    }

    /// <summary>The rows of these accounts, in their order: pending PINs, health sources and budgets each read once for all of them.</summary>
    private async Task<List<AccountRow>> RowsAsync(DashboardDbContext db, List<Account> accounts, CancellationToken cancellationToken)
    {
        var pins = await PendingPinsByAccountAsync(db, cancellationToken);
        var now = time.GetUtcNow();
        var external = await ExternalFlagsAsync(accounts.Select(a => a.AccountId).ToList(), now, cancellationToken);
        // One grouped query for every account's budget, not one per row.
        var spentBudgets = await budgets.ForAccountsAsync(cancellationToken);
        return accounts.Select(a => ToRow(a, pins.GetValueOrDefault(a.AccountId), external.GetValueOrDefault(a.AccountId),
            spentBudgets.GetValueOrDefault(a.AccountId) ?? budgets.Empty, now)).ToList();
    }

    private async Task<AccountRow?> RowAsync(DashboardDbContext db, string accountId, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.AccountId == accountId, cancellationToken);
        if (account is null) return null;
        var pin = await PendingPinAsync(db, accountId, cancellationToken);
        var now = time.GetUtcNow();
        var external = await ExternalFlagsAsync([accountId], now, cancellationToken);
        return ToRow(account, pin, external.GetValueOrDefault(accountId), await budgets.ForAccountAsync(accountId, cancellationToken), now);
    }

    private async Task<Dictionary<string, List<AccountHealthFlag>>> ExternalFlagsAsync(IReadOnlyCollection<string> accountIds, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, List<AccountHealthFlag>>(StringComparer.Ordinal);
        if (accountIds.Count == 0) return all;
        foreach (var source in _healthSources)
        {
            foreach (var (accountId, flags) in await source.FlagsAsync(accountIds, now, cancellationToken))
            {
                if (!all.TryGetValue(accountId, out var list)) all[accountId] = list = [];
                list.AddRange(flags);
            }
        }
        return all;
    }

    private static Task<PinRequest?> PendingPinAsync(DashboardDbContext db, string accountId, CancellationToken cancellationToken) =>
        db.PinRequests.AsNoTracking()
            .Where(p => p.AccountId == accountId && (p.Status == PinRequestStatus.Pending || p.Status == PinRequestStatus.Submitted))
            .OrderByDescending(p => p.RequestedAt).FirstOrDefaultAsync(cancellationToken);

    public async Task<AccountDetail?> GetAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await RowAsync(db, accountId, cancellationToken) is not { } row) return null;

        var history = await db.AccountStateChanges.AsNoTracking().Where(c => c.AccountId == accountId)
            .OrderByDescending(c => c.Id).Take(100).ToListAsync(cancellationToken);
        var submissions = await db.PinSubmissions.AsNoTracking().Where(s => s.AccountId == accountId)
            .OrderByDescending(s => s.SubmittedAt).Take(50).ToListAsync(cancellationToken);
        var errors = await ErrorStatsQueries.CountByCodeAsync(db, accountId, null, null, cancellationToken);
        var connections = await ConnectionStatsQueries.TotalsAsync(db, accountId, null, null, cancellationToken);

        return new AccountDetail(
            row,
            history.Select(c => new StateChangeRow(c.State, c.ErrorCode, DateTimeOffset.FromUnixTimeMilliseconds(c.At), c.EventId, c.Source)).ToList(),
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

    private static AccountRow ToRow(Account a, PinRequest? pin, List<AccountHealthFlag>? external, AccountBudget budget, DateTimeOffset now)
    {
        var pending = pin is not null && pin.ExpiresAt > now.ToUnixTimeMilliseconds()
            ? new PendingPinInfo(pin.RequestId, DateTimeOffset.FromUnixTimeMilliseconds(pin.RequestedAt), DateTimeOffset.FromUnixTimeMilliseconds(pin.ExpiresAt), pin.Status)
            : null;
        var health = AccountStates.Health(a, now);
        if (external is not null) health = [.. health.Concat(external).OrderBy(f => f.Flag)];
        var login = AccountStates.EffectiveLogin(a, now);
        // A PIN request shown as expired before the sweeper ran: since its expiry.
        var since = login == LoginState.PinExpired && a.LoginState != LoginState.PinExpired ? FromMs(a.PinExpiresAt) : FromMs(a.StateChangedAt);
        return new AccountRow(a.AccountId, a.Email, a.DisplayName, login, login == LoginState.LoginFailed ? a.StateErrorCode : null,
            since, health, budget, FromMs(a.LastEventAt), a.LastEventType, a.LastErrorCode, pending, a.EventCount, a.KnownToWeLink, FromMs(a.SessionCheckedAt));
    }

    private static DateTimeOffset? FromMs(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
