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
}
