using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Dashboard.Features.Connections;
using WeLink.Dashboard.Features.Errors;
using WeLink.Dashboard.Features.Pins;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Overview;

/// <summary>The fleet at a glance, from projections and counters only.</summary>
public sealed class OverviewQueries(
    IDbContextFactory<DashboardDbContext> contexts,
    AccountQueries accounts,
    PinQueries pinQueries,
    TimeProvider time)
{
    public async Task<FleetOverview> GetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var dayAgo = CounterRange.HourFloor(now.AddHours(-24));
        var accountRows = await accounts.ListAsync(null, null, cancellationToken);
        var pins = await pinQueries.CountsAsync(cancellationToken);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var events = await db.HourlyEventCounts.Where(c => c.Hour >= dayAgo).SumAsync(c => c.Count, cancellationToken);
        var rejected = await db.RejectedDeliveryCounts.Where(c => c.Hour >= dayAgo).SumAsync(c => c.Count, cancellationToken);
        var topErrors = await ErrorStatsQueries.CountByCodeAsync(db, null, now.AddHours(-24), now, cancellationToken);
        var midnight = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var connections = await ConnectionStatsQueries.TotalsAsync(db, null, midnight, now, cancellationToken);

        return new FleetOverview(
            accountRows.Count,
            accountRows.GroupBy(a => a.LoginState).ToDictionary(g => g.Key, g => g.Count()),
            pins.Waiting,
            pins.OldestWaitingAt,
            pins.Submitted,
            events,
            rejected,
            topErrors.Take(5).ToList(),
            connections,
            now,
            accountRows.SelectMany(a => a.Health.Select(f => f.Flag).Distinct()).GroupBy(f => f).ToDictionary(g => g.Key, g => g.Count()));
    }
}
