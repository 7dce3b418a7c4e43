using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Live;

/// <summary>The hub's <c>AccountChanged</c>: the account as <c>GET /api/accounts</c> shows it, login state and health apart.</summary>
public sealed class AccountsHubTests : IDisposable
{
    private readonly DashboardApp _app = DashboardApp.StartInTempDirectory();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task RateLimitAfterLoginFailure_ReachesAClientAsLoginFailedWithTheFlag()
    {
        var received = Channel.CreateUnbounded<JsonElement>();
        await using var connection = _app.CreateHubConnection(EventsHub.Route);
        connection.On<JsonElement>(EventsHub.AccountChanged, account => received.Writer.TryWrite(account));
        await connection.StartAsync();

        await _app.PostWebhookAsync(WebhookSigner.Sign("""{"status":"WRONG_PASSWORD","request_id":"l1","account_id":"acc-hub"}""", DashboardApp.Secret));
        await _app.PostWebhookAsync(WebhookSigner.Sign("""{"status":"FAILED","request_id":"m1","account_id":"acc-hub","error":"STATUS_429"}""", DashboardApp.Secret),
            "/webhooks/welink/MESSAGE_FAILED");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        JsonElement account;
        do account = await received.Reader.ReadAsync(timeout.Token);
        while (account.GetProperty("health").GetArrayLength() == 0);
        Assert.Equal("acc-hub", account.GetProperty("accountId").GetString());
        Assert.Equal("LoginFailed", account.GetProperty("loginState").GetString());
        Assert.Equal("WRONG_PASSWORD", account.GetProperty("loginErrorCode").GetString());
        Assert.Equal("RateLimited", account.GetProperty("health")[0].GetProperty("flag").GetString());
    }
    [Fact]
    public async Task BurstOfLoginChangesAcrossAccounts_EachAccountsLatestRowArrives()
    {
        var received = Channel.CreateUnbounded<JsonElement>();
        await using var connection = _app.CreateHubConnection(EventsHub.Route);
        connection.On<JsonElement>(EventsHub.AccountChanged, account => received.Writer.TryWrite(account));
        await connection.StartAsync();

        // 20 accounts, each failing and succeeding twice: 80 login changes, one after the other.
        const int accounts = 20;
        var changes = 0;
        for (var round = 0; round < 2; round++)
            for (var i = 0; i < accounts; i++)
            {
                foreach (var (status, result) in new[] { ("WRONG_PASSWORD", ""), ("SUCCESS", ""","result":{"first_name":"Ann","email":"ann@example.com","premium":false}""") })
                {
                    var posted = await _app.PostWebhookAsync(WebhookSigner.Sign(
                        $$"""{"status":"{{status}}","request_id":"burst-{{round}}-{{i}}-{{status}}","account_id":"acc-burst-{{i}}"{{result}}}""", DashboardApp.Secret));
                    Assert.Equal(System.Net.HttpStatusCode.OK, posted.StatusCode);
                    changes++;
                }
            }

        // Until every account's latest row says Connected: the last change of each is what a client ends with.
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        var messages = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (latest.Count < accounts || latest.Values.Any(state => state != "Connected"))
        {
            JsonElement account;
            try
            {
                account = await received.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"After {messages} messages the latest states were: {string.Join(", ", latest.Select(kv => $"{kv.Key} {kv.Value}"))}");
                throw;
            }
            messages++;
            latest[account.GetProperty("accountId").GetString()!] = account.GetProperty("loginState").GetString()!;
        }
        Assert.Equal(Enumerable.Range(0, accounts).Select(i => $"acc-burst-{i}").Order(StringComparer.Ordinal), latest.Keys.Order(StringComparer.Ordinal));
        // Gathered for a quarter second and read together, so never more messages than changes; how many fewer
        // depends on the machine's pace (the bench measures what the gathering saves).
        Assert.InRange(messages, accounts, changes);
    }
}
