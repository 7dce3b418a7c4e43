using System.Net.Http.Json;
using System.Text.Json;
using WeLink.Emulator.Traffic;

namespace WeLink.Dashboard.IntegrationTests.Gateway;

/// <summary>Rolling-hour budgets on <c>/api/accounts</c>: counted gateway calls, the <c>BudgetSpent</c> flag and its filter.</summary>
public sealed class BudgetApiTests
{
    private const int ActionsPerHour = 4;

    [Fact]
    public async Task AccountsApi_GatewayCallsOverTheActionBudget_BudgetCountsThemAndFlagsBudgetSpent()
    {
        await using var stack = await GatewayStack.StartAsync(earlyWebhookRatio: 0.3,
            settings: new Dictionary<string, string?> { ["Gateway:ActionsPerHour"] = ActionsPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var started = DateTimeOffset.UtcNow;
        var report = await new GatewayTraffic().RunAsync(new GatewayTrafficOptions
        {
            Gateway = stack.Gateway, BearerToken = DashboardApp.OperatorToken, Count = 30, Concurrency = 4, Accounts = 3, Seed = 11,
        }, CancellationToken.None);
        Assert.Equal((30, 0), (report.Answered2xx, report.Failed));
        var outcomes = stack.WeLink.Log.Outcomes;
        await Poll.UntilAsync(() => Task.FromResult(stack.App.Scalar<long>("SELECT COUNT(*) FROM Events")), n => n >= outcomes.Count,
            TimeSpan.FromSeconds(60), $"{outcomes.Count} events");

        var expected = outcomes.GroupBy(o => o.AccountId).ToDictionary(g => g.Key, g =>
            (Actions: g.Count(o => o.Action != "personal_messages"), Syncs: g.Count(o => o.Action == "personal_messages")));
        Assert.Contains(expected.Values, e => e.Actions >= ActionsPerHour);

        using var list = await stack.App.Http.GetFromJsonAsync<JsonDocument>("/api/accounts");
        var items = list!.RootElement.EnumerateArray().ToDictionary(a => a.GetProperty("accountId").GetString()!);
        foreach (var (accountId, counts) in expected)
        {
            var budget = items[accountId].GetProperty("budget");
            Assert.Equal(
                (counts.Actions, ActionsPerHour, counts.Syncs, 150),
                (budget.GetProperty("actionsLastHour").GetInt32(), budget.GetProperty("actionsPerHour").GetInt32(),
                 budget.GetProperty("messageSyncsLastHour").GetInt32(), budget.GetProperty("messageSyncsPerHour").GetInt32()));
            // Exactly the four counts design.md names, nothing derived.
            Assert.Equal(4, budget.EnumerateObject().Count());

            var spent = items[accountId].GetProperty("health").EnumerateArray().Where(f => f.GetProperty("flag").GetString() == "BudgetSpent").ToList();
            if (counts.Actions >= ActionsPerHour)
            {
                var flag = Assert.Single(spent);
                var since = flag.GetProperty("since").GetDateTimeOffset();
                var until = flag.GetProperty("until").GetDateTimeOffset();
                Assert.InRange(since, started.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
                // Until the calls that used it up leave the rolling hour.
                Assert.InRange(until, started.AddHours(1).AddSeconds(-1), DateTimeOffset.UtcNow.AddHours(1).AddSeconds(1));
            }
            else
            {
                Assert.Empty(spent);
            }
        }

        using var filtered = await stack.App.Http.GetFromJsonAsync<JsonDocument>("/api/accounts?health=BudgetSpent");
        Assert.Equal(
            expected.Where(e => e.Value.Actions >= ActionsPerHour).Select(e => e.Key).Order(),
            filtered!.RootElement.EnumerateArray().Select(a => a.GetProperty("accountId").GetString()!).Order());

        // The single-account answer carries the same budget.
        var (oneId, oneCounts) = expected.First();
        using var single = await stack.App.Http.GetFromJsonAsync<JsonDocument>($"/api/accounts/{oneId}");
        Assert.Equal(oneCounts.Actions, single!.RootElement.GetProperty("account").GetProperty("budget").GetProperty("actionsLastHour").GetInt32());
    }
}
