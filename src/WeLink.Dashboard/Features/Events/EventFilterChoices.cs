using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Events;

/// <summary>The values seen so far that the filter selects offer, from the hourly counters and the accounts (never the log itself).</summary>
public sealed record EventFilterChoices(
    IReadOnlyList<string> Types,
    IReadOnlyList<string> Accounts,
    IReadOnlyList<string> Statuses,
    IReadOnlyList<string> ErrorCodes)
{
    public static readonly EventFilterChoices Empty = new([], [], [], []);

    public static async Task<EventFilterChoices> LoadAsync(IDbContextFactory<DashboardDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The daily counters hold every type and code the hourly ones do, in a twenty-fourth of the rows.
        var types = await db.DailyEventCounts.AsNoTracking().Select(c => c.EventType).Distinct().ToListAsync(cancellationToken);
        var codes = await db.DailyErrorCounts.AsNoTracking().Select(c => c.ErrorCode).Distinct().ToListAsync(cancellationToken);
        var accounts = await LoadAccountsAsync(db, cancellationToken);
        // An error code can arrive as the status itself (e.g. "PROFILE_NOT_FOUND"): offer the seen codes as statuses too.
        return new EventFilterChoices(types, accounts, codes, codes);
    }

    /// <summary>Only the account ids, for pages that filter by account alone.</summary>
    public static async Task<IReadOnlyList<string>> LoadAccountsAsync(IDbContextFactory<DashboardDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await LoadAccountsAsync(db, cancellationToken);
    }

    private static Task<List<string>> LoadAccountsAsync(DashboardDbContext db, CancellationToken cancellationToken) =>
        db.Accounts.AsNoTracking().OrderBy(a => a.AccountId).Select(a => a.AccountId).ToListAsync(cancellationToken);
}
