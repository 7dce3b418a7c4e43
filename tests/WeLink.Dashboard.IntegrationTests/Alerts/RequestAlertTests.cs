using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeLink.Dashboard.IntegrationTests.Gateway;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Alerts;

/// <summary>
/// The rules fed by request tracking, end to end: the dashboard on Kestrel with its SQLite file, the
/// emulator's We-Link over HTTP, and alerts arriving at an HTTP receiver on 127.0.0.1.
/// </summary>
public sealed class RequestAlertTests : IAsyncLifetime
{
    private AlertReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await AlertReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private Dictionary<string, string?> Settings(string giveUpAfter, string silenceAfter, string overdueAfter = "00:00:01") => new()
    {
        ["Gateway:OverdueAfter"] = overdueAfter,
        ["Gateway:GiveUpAfter"] = giveUpAfter,
        ["Gateway:PollsPerMinute"] = "600",
        ["Alerts:TimerInterval"] = "00:00:00.100",
        ["Alerts:Rules:WebhookSilence:SilenceAfter"] = silenceAfter,
        ["Alerts:Channels:0:Name"] = "hook",
        ["Alerts:Channels:0:Kind"] = "Webhook",
        ["Alerts:Channels:0:Url"] = _receiver.Url("/hook"),
        ["Alerts:Channels:0:Secret"] = "request-alert-secret-81c2",
    };

    private static JsonElement Json(ReceivedAlert alert) => JsonDocument.Parse(alert.Body).RootElement.Clone();

    private Task<IReadOnlyList<ReceivedAlert>> WaitForAsync(string rule, string state, string what) =>
        _receiver.WaitForAsync(r => r.Any(a => Json(a).GetProperty("rule").GetString() == rule && Json(a).GetProperty("state").GetString() == state),
            TimeSpan.FromSeconds(30), what);

    private static async Task RegisterAsync(GatewayStack stack, string requestId, string accountId)
    {
        using var client = stack.App.CreateHttpClient(DashboardApp.OperatorToken);
        using var created = await client.PostAsJsonAsync("/api/requests", new { requestId, accountId, action = "connect" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private static async Task LateResultAsync(GatewayStack stack, string requestId)
    {
        var body = $$$"""{"status":"SUCCESS","request_id":"{{{requestId}}}","result":{"connected":true}}""";
        using var response = await stack.App.PostWebhookAsync(WebhookSigner.Sign(body, GatewayStack.WebhookSecret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RequestLost_RequestGivenUpThenLateResult_OneAlertLinkingTheAccountsLostRequestsThenResolved()
    {
        await using var stack = await GatewayStack.StartAsync(settings: Settings(giveUpAfter: "00:00:03", silenceAfter: "01:00:00"));
        await RegisterAsync(stack, "req-lost-1", "acc-002");
        await RegisterAsync(stack, "req-lost-2", "acc-002");

        await Poll.UntilAsync(() => Task.FromResult(stack.App.Scalar<long>("SELECT COUNT(*) FROM Requests WHERE State = 'Lost'")), n => n == 2,
            TimeSpan.FromSeconds(30), "both requests lost");
        var firing = (await WaitForAsync("RequestLost", "firing", "the RequestLost alert")).Select(Json).Where(j => j.GetProperty("rule").GetString() == "RequestLost").ToList();
        Assert.Equal("Lost", stack.App.Scalar<string>("SELECT State FROM Requests WHERE RequestId = 'req-lost-1'"));
        var alert = Assert.Single(firing);
        Assert.Equal("acc-002", alert.GetProperty("account").GetProperty("id").GetString());
        Assert.Equal("/requests?account=acc-002&state=Lost", alert.GetProperty("link").GetString());
        Assert.Contains("req-lost-", alert.GetProperty("summary").GetString());
        // Raised in the transaction that gave the requests up: one alert for the account's two lost requests.
        Assert.Equal(1, stack.App.Scalar<long>("SELECT COUNT(*) FROM Alerts WHERE Rule = 'RequestLost'"));

        // One late result leaves the other lost: the alert stays open.
        await LateResultAsync(stack, "req-lost-1");
        await Poll.UntilAsync(() => Task.FromResult(stack.App.Scalar<string>("SELECT State FROM Requests WHERE RequestId = 'req-lost-1'")), s => s == "Done",
            TimeSpan.FromSeconds(10), "the first late result");
        Assert.Equal(1, stack.App.Scalar<long>("SELECT COUNT(*) FROM Alerts WHERE Rule = 'RequestLost' AND ResolvedAt IS NULL"));

        await LateResultAsync(stack, "req-lost-2");
        var resolved = (await WaitForAsync("RequestLost", "resolved", "RequestLost resolved")).Select(Json).Single(j => j.GetProperty("state").GetString() == "resolved");
        Assert.Equal("acc-002", resolved.GetProperty("account").GetProperty("id").GetString());
        Assert.Equal(0, stack.App.Scalar<long>("SELECT COUNT(*) FROM Alerts WHERE Rule = 'RequestLost' AND ResolvedAt IS NULL"));
    }

    [Fact]
    public async Task WebhookSilence_RequestsWaitWithNoWebhook_OneAlertWithNoAccountThenResolvedByAWebhook()
    {
        await using var stack = await GatewayStack.StartAsync(settings: Settings(giveUpAfter: "01:00:00", silenceAfter: "00:00:02", overdueAfter: "00:30:00"));
        await RegisterAsync(stack, "req-quiet-1", "acc-001");
        await RegisterAsync(stack, "req-quiet-2", "acc-003");

        var alert = (await WaitForAsync("WebhookSilence", "firing", "the WebhookSilence alert")).Select(Json).Single(j => j.GetProperty("rule").GetString() == "WebhookSilence");
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("account").ValueKind);
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal("/requests", alert.GetProperty("link").GetString());
        // The timer keeps looking while it stays silent: still one alert.
        Assert.False(await Poll.HoldsAsync(() => Task.FromResult(stack.App.Scalar<long>("SELECT COUNT(*) FROM Alerts WHERE Rule = 'WebhookSilence'") > 1),
            TimeSpan.FromSeconds(1)));

        await LateResultAsync(stack, "req-quiet-1");
        await WaitForAsync("WebhookSilence", "resolved", "WebhookSilence resolved");
        Assert.Equal((1L, 0L), (stack.App.Scalar<long>("SELECT COUNT(*) FROM Alerts WHERE Rule = 'WebhookSilence'"),
            stack.App.Scalar<long>("SELECT COUNT(*) FROM Alerts WHERE Rule = 'WebhookSilence' AND ResolvedAt IS NULL")));
    }
}
