using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Tests.Features.Accounts;

/// <summary>Gateway calls as the gateway records them (forwarded, answered 2xx, budget counted), for the pages' gauges.</summary>
internal static class BudgetSeed
{
    public static async Task AddAsync(IServiceProvider services, string accountId, GatewayBudget budget, int count)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < count; i++)
        {
            db.GatewayCalls.Add(new GatewayCall
            {
                At = now - (count - i) * 1000, Caller = "test", Action = budget == GatewayBudget.MessageSyncs ? "personal_messages" : "send_message",
                AccountId = accountId, RequestId = $"{accountId}-{budget}-{i}", Status = 200, LatencyMs = 5, Budget = budget,
            });
        }
        await db.SaveChangesAsync();
    }
}
