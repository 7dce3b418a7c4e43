using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Shared;

/// <summary>
/// Reads accounts' names and e-mails from the accounts table (filled by LOGIN_SUCCESS and We-Link's
/// account list; never written here). The full list behind the pickers is cached briefly, since
/// every page and the app bar ask for it; rows of a page look their few ids up directly.
/// </summary>
public sealed class AccountNameQueries(IDbContextFactory<DashboardDbContext> contexts, TimeProvider time)
{
    /// <summary>How long the pickers' list is reused: a new name shows at the latest this much later.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private volatile Cached? _cached;

    private sealed record Cached(IReadOnlyList<AccountName> Names, IReadOnlyDictionary<string, AccountName> ById, DateTimeOffset At);

    /// <summary>Every known account with what is known of its name, ordered by id.</summary>
    public async Task<IReadOnlyList<AccountName>> ListAsync(CancellationToken cancellationToken) => (await GetAsync(cancellationToken)).Names;

    /// <summary>The same list by id.</summary>
    public async Task<IReadOnlyDictionary<string, AccountName>> ByIdAsync(CancellationToken cancellationToken) => (await GetAsync(cancellationToken)).ById;

    /// <summary>Drops the cached list, e.g. once an account's name was learned.</summary>
    public void Forget() => _cached = null;

    /// <summary>The names of <paramref name="accountIds"/>, read now (not from the cache).</summary>
    public async Task<IReadOnlyDictionary<string, AccountName>> LookupAsync(IEnumerable<string?> accountIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await LookupAsync(db, accountIds, cancellationToken);
    }

    /// <summary>The names of <paramref name="accountIds"/> in one query, for queries that already hold a context.</summary>
    internal static async Task<IReadOnlyDictionary<string, AccountName>> LookupAsync(DashboardDbContext db, IEnumerable<string?> accountIds, CancellationToken cancellationToken)
    {
        var ids = accountIds.Where(id => !string.IsNullOrEmpty(id)).Select(id => id!).Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0) return new Dictionary<string, AccountName>(StringComparer.Ordinal);
        // The ids travel as one array parameter (SQLite: json_each; PostgreSQL: = ANY), not one parameter each:
        // one statement whatever their number, so it is prepared once and never meets SQLite's parameter limit.
        // For the 200 ids of a fleet's error breakdown: 0.8–1.4 ms against 2.4–3.7 ms (BENCHMARKS.md, thirteenth look).
        var rows = await db.Accounts.AsNoTracking().Where(a => EF.Parameter(ids).Contains(a.AccountId))
            .Select(a => new AccountName(a.AccountId, a.DisplayName, a.Email)).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.AccountId, StringComparer.Ordinal);
    }

    /// <summary>The name of one account, or its id alone when it is not known.</summary>
    public static AccountName Of(string accountId, IReadOnlyDictionary<string, AccountName> names) =>
        names.TryGetValue(accountId, out var name) ? name : AccountName.IdOnly(accountId);

    internal static async Task<IReadOnlyList<AccountName>> ListAsync(DashboardDbContext db, CancellationToken cancellationToken) =>
        await db.Accounts.AsNoTracking().OrderBy(a => a.AccountId)
            .Select(a => new AccountName(a.AccountId, a.DisplayName, a.Email)).ToListAsync(cancellationToken);

    private async Task<Cached> GetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cached is { } cached && now - cached.At < CacheFor && now >= cached.At) return cached;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var names = await ListAsync(db, cancellationToken);
        var fresh = new Cached(names, names.ToDictionary(n => n.AccountId, StringComparer.Ordinal), now);
        _cached = fresh;
        return fresh;
    }
}
