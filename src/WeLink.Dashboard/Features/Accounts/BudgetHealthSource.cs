using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Gateway;

namespace WeLink.Dashboard.Features.Accounts;

/// <summary>
/// <see cref="HealthFlag.BudgetSpent"/> from the gateway's counted calls: raised while an account's
/// rolling-hour action (or message-sync) budget is used up; since the call that used it up, until
/// enough counted calls leave the rolling hour to free one slot again.
/// </summary>
public sealed class BudgetHealthSource(IDbContextFactory<DashboardDbContext> contexts, BudgetQueries budgets, IOptions<GatewayOptions> options)
    : IAccountHealthSource
{
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<AccountHealthFlag>>> FlagsAsync(
        IReadOnlyCollection<string> accountIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One grouped count for the whole page; call times only for the (few) accounts that are spent.
        var spent = (await budgets.ForAccountsAsync(cancellationToken))
            .Where(b => b.Value.Spent && accountIds.Contains(b.Key)).Select(b => b.Key).ToList();
        var flags = new Dictionary<string, IReadOnlyList<AccountHealthFlag>>(StringComparer.Ordinal);
        if (spent.Count == 0) return flags;

        var windowStart = now.ToUnixTimeMilliseconds() - BudgetQueries.WindowMs;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var calls = await db.GatewayCalls.AsNoTracking()
            .Where(c => c.AccountId != null && spent.Contains(c.AccountId) && c.At > windowStart && c.Budget != GatewayBudget.None)
            .Select(c => new { c.AccountId, c.Budget, c.At })
            .ToListAsync(cancellationToken);
        foreach (var account in calls.GroupBy(c => c.AccountId!, StringComparer.Ordinal))
        {
            var spans = new List<(long Since, long Until)>();
            foreach (var (budget, limit) in new[] { (GatewayBudget.Actions, options.Value.ActionsPerHour), (GatewayBudget.MessageSyncs, options.Value.MessageSyncsPerHour) })
            {
                var times = account.Where(c => c.Budget == budget).Select(c => c.At).Order().ToList();
                if (limit <= 0 || times.Count < limit) continue;
                // The limit-th call of the hour used the budget up; a slot frees when the calls beyond
                // the limit, plus one, have left the window (with exactly `limit` calls: the oldest).
                spans.Add((times[limit - 1], times[times.Count - limit] + BudgetQueries.WindowMs));
            }
            if (spans.Count == 0) continue;
            flags[account.Key] = [new AccountHealthFlag(HealthFlag.BudgetSpent,
                DateTimeOffset.FromUnixTimeMilliseconds(spans.Min(s => s.Since)),
                DateTimeOffset.FromUnixTimeMilliseconds(spans.Max(s => s.Until)))];
        }
        return flags;
    }
}
