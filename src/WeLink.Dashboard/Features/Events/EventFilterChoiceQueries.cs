using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Events;

/// <summary>Loads <see cref="EventFilterChoices"/> from the counters and the accounts (never the log itself).</summary>
public sealed class EventFilterChoiceQueries(IDbContextFactory<DashboardDbContext> contexts)
{
    public async Task<EventFilterChoices> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The daily counters hold every type and code the hourly ones do, in a twenty-fourth of the rows.
        var types = await db.DailyEventCounts.AsNoTracking().Select(c => c.EventType).Distinct().ToListAsync(cancellationToken);
        var codes = await db.DailyErrorCounts.AsNoTracking().Select(c => c.ErrorCode).Distinct().ToListAsync(cancellationToken);
        var accounts = await AccountNameQueries.ListAsync(db, cancellationToken);
        // An error code can arrive as the status itself (e.g. "PROFILE_NOT_FOUND"): offer the seen codes as statuses too.
        return new EventFilterChoices(types, accounts, codes, codes);
    }
}
