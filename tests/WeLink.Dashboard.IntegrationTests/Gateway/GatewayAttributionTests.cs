using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Features.Gateway;
using WeLink.Emulator.Traffic;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Gateway;

/// <summary>Automation through the gateway with no URL hints: every webhook attributed and typed, whichever came first.</summary>
public sealed class GatewayAttributionTests
{
    [Fact]
    public async Task Gateway_TrafficWithoutHints_AttributesAndTypesEveryEvent()
    {
        await using var stack = await GatewayStack.StartAsync(earlyWebhookRatio: 0.3);
        var report = await new GatewayTraffic().RunAsync(new GatewayTrafficOptions
        {
            Gateway = stack.Gateway, BearerToken = DashboardApp.OperatorToken, Count = 400, Concurrency = 8, Accounts = 5,
        }, CancellationToken.None);
        Assert.Equal((400, 0), (report.Answered2xx, report.Failed));
        var outcomes = stack.WeLink.Log.Outcomes;
        Assert.Equal(400, outcomes.Count);
        await WaitForEventsAsync(stack, outcomes.Count);

        var stored = Stored(stack);
        var right = outcomes.Count(o => stored.TryGetValue(o.RequestId, out var e) && e == (o.AccountId, o.ExpectedType));
        var wrong = outcomes.Where(o => !stored.TryGetValue(o.RequestId, out var e) || e != (o.AccountId, o.ExpectedType)).Take(5)
            .Select(o => $"{o.RequestId} {o.Action} expected {o.AccountId}/{o.ExpectedType} got {stored.GetValueOrDefault(o.RequestId)}");
        Assert.True(right >= outcomes.Count * 0.999, $"{right} of {outcomes.Count} right; e.g. {string.Join("; ", wrong)}");
        Assert.Contains(outcomes, o => o.DeliveredBeforeAnswer);
        Assert.Equal(report.RequestIds.Order(), outcomes.Select(o => o.RequestId).Order());

        // Budgets: every forwarded 2xx action counted on its account, message syncs on their own budget.
        var budgets = await stack.App.Services.GetRequiredService<BudgetQueries>().ForAccountsAsync(CancellationToken.None);
        foreach (var account in outcomes.GroupBy(o => o.AccountId))
        {
            var syncs = account.Count(o => o.Action == "personal_messages");
            Assert.Equal((account.Count() - syncs, syncs), (budgets[account.Key].ActionsLastHour, budgets[account.Key].MessageSyncsLastHour));
        }
    }

    [Fact]
    public async Task Gateway_WebhooksBeforeTheirAnswer_PagesCountThemAllTheSame()
    {
        // Every outcome is posted before its call is answered: stored unknown, attributed when the gateway records the request.
        await using var stack = await GatewayStack.StartAsync(earlyWebhookRatio: 1.0);
        await new GatewayTraffic().RunAsync(new GatewayTrafficOptions
        {
            Gateway = stack.Gateway, ApiKey = GatewayStack.ApiKey, ApiSecret = GatewayStack.ApiSecret, Count = 150, Concurrency = 4, Accounts = 3, Seed = 7,
        }, CancellationToken.None);
        var outcomes = stack.WeLink.Log.Outcomes;
        Assert.All(outcomes, o => Assert.True(o.DeliveredBeforeAnswer));
        await WaitForEventsAsync(stack, outcomes.Count);

        var stored = Stored(stack);
        Assert.All(outcomes, o => Assert.Equal((o.AccountId, o.ExpectedType), stored[o.RequestId]));
        Assert.Equal(0, stack.App.Scalar<long>("SELECT COUNT(*) FROM HourlyEventCounts WHERE AccountKey = ''"));

        // The Connections page's numbers: sent / failed per account.
        using var connections = await stack.App.Http.GetFromJsonAsync<JsonDocument>("/api/stats/connections");
        var text = connections!.RootElement.ToString();
        foreach (var account in outcomes.GroupBy(o => o.AccountId))
        {
            var sent = account.Count(o => o.ExpectedType == EventTypes.ConnectionSent);
            var failed = account.Count(o => o.ExpectedType == EventTypes.ConnectionFailed);
            Assert.Equal(sent, stack.App.Scalar<long>($"SELECT COALESCE(SUM(Count), 0) FROM HourlyEventCounts WHERE AccountKey = '{account.Key}' AND EventType = 'CONNECTION_SENT'"));
            Assert.Equal(failed, stack.App.Scalar<long>($"SELECT COALESCE(SUM(Count), 0) FROM HourlyEventCounts WHERE AccountKey = '{account.Key}' AND EventType = 'CONNECTION_FAILED'"));
            if (sent + failed > 0) Assert.Contains(account.Key, text);
        }

        // The Errors page's numbers: per code, all attributed.
        using var errors = await stack.App.Http.GetFromJsonAsync<JsonDocument>("/api/stats/errors");
        // (The rollups hold every coded event of the log, all under their accounts.)
        var expectedCodes = stack.App.Scalar<long>("SELECT COUNT(*) FROM Events WHERE ErrorCode IS NOT NULL");
        Assert.True(expectedCodes >= outcomes.Count(o => o.ExpectedType is EventTypes.ConnectionFailed or EventTypes.MessageFailed));
        Assert.Equal(expectedCodes, stack.App.Scalar<long>("SELECT COALESCE(SUM(Count), 0) FROM DailyErrorCounts WHERE AccountKey <> ''"));
        Assert.Equal(0, stack.App.Scalar<long>("SELECT COUNT(*) FROM DailyErrorCounts WHERE AccountKey = ''"));
        // Per code, the page shows what the log holds. Which codes the fake We-Link picks is random, so they are read, not named.
        var logged = stack.App.Rows("SELECT ErrorCode, COUNT(*) FROM Events WHERE ErrorCode IS NOT NULL GROUP BY ErrorCode")
            .ToDictionary(row => (string)row[0]!, row => Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEmpty(logged);
        Assert.Equal(logged, errors!.RootElement.GetProperty("codes").EnumerateArray()
            .ToDictionary(c => c.GetProperty("code").GetString()!, c => c.GetProperty("count").GetInt64()));
        Assert.Equal(0, stack.App.Scalar<long>("SELECT COUNT(*) FROM Events WHERE EventType = 'UNKNOWN' OR AccountId IS NULL"));
    }

    private static Task WaitForEventsAsync(GatewayStack stack, int count) => Poll.UntilAsync(
        () => Task.FromResult(stack.App.Scalar<long>("SELECT COUNT(*) FROM Events")), n => n >= count, TimeSpan.FromSeconds(60), $"{count} events");

    private static Dictionary<string, (string?, string)> Stored(GatewayStack stack)
    {
        var stored = new Dictionary<string, (string?, string)>();
        foreach (var row in stack.App.Rows("SELECT RequestId, AccountId, EventType FROM Events"))
            stored[(string)row[0]!] = ((string?)row[1], (string)row[2]!);
        return stored;
    }
}
