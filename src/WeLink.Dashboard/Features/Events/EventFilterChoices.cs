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
        var types = await db.HourlyEventCounts.AsNoTracking().Select(c => c.EventType).Distinct().ToListAsync(cancellationToken);
        var codes = await db.HourlyEventCounts.AsNoTracking().Where(c => c.ErrorCode != "").Select(c => c.ErrorCode).Distinct().ToListAsync(cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().OrderBy(a => a.AccountId).Select(a => a.AccountId).ToListAsync(cancellationToken);
        // An error code can arrive as the status itself (e.g. "PROFILE_NOT_FOUND"): offer the seen codes as statuses too.
        return new EventFilterChoices(types, accounts, codes, codes);
    }
}
