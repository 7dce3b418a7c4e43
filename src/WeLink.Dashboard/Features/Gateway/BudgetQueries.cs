using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Gateway;

/// <summary>An account's rolling-hour budgets, as <c>GET /api/accounts</c> names them (<c>budget</c>).</summary>
public sealed record AccountBudget(int ActionsLastHour, int ActionsPerHour, int MessageSyncsLastHour, int MessageSyncsPerHour)
{
    // Derived, so kept out of the API's `budget`: design.md names exactly the four counts.
    [JsonIgnore] public bool ActionsSpent => ActionsLastHour >= ActionsPerHour;
    [JsonIgnore] public bool MessageSyncsSpent => MessageSyncsLastHour >= MessageSyncsPerHour;
    /// <summary>What the <c>BudgetSpent</c> health flag reads.</summary>
    [JsonIgnore] public bool Spent => ActionsSpent || MessageSyncsSpent;
}

/// <summary>
/// Gateway calls counted against each account's budgets over the rolling last 60 minutes: forwarded
/// asynchronous actions We-Link answered 2xx (recorded with their budget), nothing else.
/// </summary>
public sealed class BudgetQueries(IDbContextFactory<DashboardDbContext> contexts, IOptions<GatewayOptions> options, TimeProvider time)
{
    public const long WindowMs = 60 * 60 * 1000;

    public AccountBudget Empty => new(0, options.Value.ActionsPerHour, 0, options.Value.MessageSyncsPerHour);

    /// <summary>Every account that spent any budget in the last hour; others have <see cref="Empty"/>.</summary>
    public async Task<IReadOnlyDictionary<string, AccountBudget>> ForAccountsAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().ToUnixTimeMilliseconds() - WindowMs;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.GatewayCalls.AsNoTracking()
            .Where(c => c.At > since && c.AccountId != null && c.Budget != GatewayBudget.None)
            .GroupBy(c => new { c.AccountId, c.Budget })
            .Select(g => new { g.Key.AccountId, g.Key.Budget, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.AccountId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Budget(
            g.Where(r => r.Budget == GatewayBudget.Actions).Sum(r => r.Count),
            g.Where(r => r.Budget == GatewayBudget.MessageSyncs).Sum(r => r.Count)), StringComparer.Ordinal);
    }

    public async Task<AccountBudget> ForAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().ToUnixTimeMilliseconds() - WindowMs;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.GatewayCalls.AsNoTracking()
            .Where(c => c.AccountId == accountId && c.At > since && c.Budget != GatewayBudget.None)
            .GroupBy(c => c.Budget).Select(g => new { Budget = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return Budget(rows.Where(r => r.Budget == GatewayBudget.Actions).Sum(r => r.Count),
            rows.Where(r => r.Budget == GatewayBudget.MessageSyncs).Sum(r => r.Count));
    }

    private AccountBudget Budget(int actions, int syncs) => new(actions, options.Value.ActionsPerHour, syncs, options.Value.MessageSyncsPerHour);
}
