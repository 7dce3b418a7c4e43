using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WeLink.Emulator.FakeApi;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Api;

/// <summary>
/// The live-session heartbeat and "check now" against the emulator's <c>me</c> over HTTP: only
/// "Linked account not active" makes a Connected account SessionExpired, never a 5xx.
/// </summary>
public sealed class AccountSessionTests : IAsyncLifetime
{
    private const string ApiKey = "session-api-key-1b7c";
    private const string ApiSecret = "session-api-secret-9d04";
    private static readonly TimeSpan ShortInterval = TimeSpan.FromSeconds(2);

    private readonly TestDirectory _dir = new();
    private DashboardApp? _app;
    private FakeWeLinkApi? _weLink;

    private DashboardApp App => _app!;
    private FakeWeLinkApi WeLink => _weLink!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_weLink is not null) await _weLink.DisposeAsync();
        _app?.Dispose();
        _dir.Dispose();
    }

    /// <summary>The dashboard and the emulator pointing at each other; one emulator account Connected on both sides.</summary>
    private async Task<string> StartConnectedAsync(TimeSpan heartbeat)
    {
        var weLinkPort = FreePort.Next();
        _app = DashboardApp.Start(_dir.Path, settings: new Dictionary<string, string?>
        {
            ["WeLink:ApiBaseUrl"] = $"http://127.0.0.1:{weLinkPort}/",
            ["WeLink:ApiKey"] = ApiKey,
            ["WeLink:ApiSecret"] = ApiSecret,
            ["WeLink:HeartbeatInterval"] = heartbeat.ToString("c"),
        });
        _weLink = await FakeWeLinkApi.StartAsync(new FakeWeLinkOptions
        {
            Port = weLinkPort,
            ApiKey = ApiKey,
            ApiSecret = ApiSecret,
            WebhookUrl = new Uri(_app.BaseAddress, "/webhooks/welink"),
            WebhookSecret = DashboardApp.Secret,
            Accounts = 2,
            ConfigureLogging = logging => logging.ClearProviders(),
        }, CancellationToken.None);

        var account = _weLink.Accounts[0];
        _weLink.SetSessionActive(account.AccountId, true);
        var login = $$$"""{"status":"SUCCESS","request_id":"login-hb","account_id":"{{{account.AccountId}}}","result":{"first_name":"{{{account.FirstName}}}","email":"{{{account.Email}}}","premium":false}}""";
        Assert.Equal(HttpStatusCode.OK, (await _app.PostSignedWebhookAsync(login)).StatusCode);
        Assert.Equal("Connected", await LoginStateAsync(account.AccountId));
        return account.AccountId;
    }

    private async Task<JsonElement> AccountAsync(string accountId) =>
        JsonDocument.Parse(await App.Http.GetStringAsync($"/api/accounts/{accountId}")).RootElement.GetProperty("account");

    private async Task<string?> LoginStateAsync(string accountId) => (await AccountAsync(accountId)).GetProperty("loginState").GetString();

    private async Task<JsonElement> CheckNowAsync(string accountId)
    {
        using var operatorClient = App.CreateHttpClient(DashboardApp.OperatorToken);
        var response = await operatorClient.PostAsync($"/api/accounts/{accountId}/check", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Heartbeat_MeAnswersNotActive_ConnectedTurnsSessionExpiredWithinOneInterval()
    {
        var accountId = await StartConnectedAsync(ShortInterval);

        var callsBefore = WeLink.MeCalls.Count(c => c.AccountId == accountId);
        WeLink.SetSessionActive(accountId, false);
        var watch = Stopwatch.StartNew();
        await Poll.UntilAsync(() => LoginStateAsync(accountId), s => s == "SessionExpired", TimeSpan.FromSeconds(30), "the heartbeat to expire the session");

        // Within one interval means the first check after the change expires it: counted in heartbeat calls,
        // not wall-clock time, which a loaded machine stretches (one call may have been in flight at the change).
        var callsAfter = WeLink.MeCalls.Count(c => c.AccountId == accountId) - callsBefore;
        Assert.InRange(callsAfter, 1, 2);
        Assert.True(watch.Elapsed < 3 * ShortInterval + TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Equal("SessionExpired", App.Scalar<string>($"SELECT State FROM AccountStateChanges WHERE AccountId = '{accountId}' ORDER BY Id DESC LIMIT 1"));
    }

    [Fact]
    public async Task Heartbeat_MeAnswers503_AccountStaysConnected()
    {
        var accountId = await StartConnectedAsync(ShortInterval);

        WeLink.FailMe(HttpStatusCode.ServiceUnavailable);
        var before = WeLink.MeCalls.Count;
        await Poll.UntilAsync(() => Task.FromResult(WeLink.MeCalls.Count), n => n >= before + 2, TimeSpan.FromSeconds(30), "two heartbeat calls");

        Assert.Equal("Connected", await LoginStateAsync(accountId));
    }

    [Fact]
    public async Task Heartbeat_ManyAccounts_NeverMoreThanThreeCallsASecond()
    {
        var accountId = await StartConnectedAsync(TimeSpan.FromSeconds(1));
        var other = WeLink.Accounts[1];
        WeLink.SetSessionActive(other.AccountId, true);
        var login = $$$"""{"status":"SUCCESS","request_id":"login-hb-2","account_id":"{{{other.AccountId}}}","result":{"first_name":"{{{other.FirstName}}}","premium":false}}""";
        Assert.Equal(HttpStatusCode.OK, (await App.PostSignedWebhookAsync(login)).StatusCode);

        await Poll.UntilAsync(() => Task.FromResult(WeLink.MeCalls.Count), n => n >= 8, TimeSpan.FromSeconds(30), "eight heartbeat calls");

        var calls = WeLink.MeCalls;
        Assert.Contains(calls, c => c.AccountId == accountId);
        Assert.Contains(calls, c => c.AccountId == other.AccountId);
        // Any four consecutive calls span at least a second (3 a second at most; a little timer slack).
        for (var i = 3; i < calls.Count; i++)
            Assert.True(calls[i].At - calls[i - 3].At >= TimeSpan.FromMilliseconds(950), $"calls {i - 3}..{i} within {calls[i].At - calls[i - 3].At}");
    }

    [Fact]
    public async Task CheckNow_MeAnswersNotActive_SessionExpiredAtOnceAndBackWhenLive()
    {
        var accountId = await StartConnectedAsync(TimeSpan.FromMinutes(30));

        WeLink.SetSessionActive(accountId, false);
        var expired = await CheckNowAsync(accountId);
        Assert.Equal("NotActive", expired.GetProperty("outcome").GetString());
        Assert.Equal("SessionExpired", expired.GetProperty("account").GetProperty("loginState").GetString());
        Assert.Equal("SessionExpired", await LoginStateAsync(accountId));

        WeLink.SetSessionActive(accountId, true);
        var live = await CheckNowAsync(accountId);
        Assert.Equal("Active", live.GetProperty("outcome").GetString());
        Assert.Equal("Connected", await LoginStateAsync(accountId));
    }

    [Fact]
    public async Task CheckNow_MeAnswers503_InconclusiveAndStaysConnected()
    {
        var accountId = await StartConnectedAsync(TimeSpan.FromMinutes(30));

        WeLink.FailMe(HttpStatusCode.ServiceUnavailable);
        var result = await CheckNowAsync(accountId);

        Assert.Equal("Inconclusive", result.GetProperty("outcome").GetString());
        Assert.Equal("Connected", result.GetProperty("account").GetProperty("loginState").GetString());
        Assert.Equal("Connected", await LoginStateAsync(accountId));
    }

    [Fact]
    public async Task CheckFleet_NotActive_QueuesConnectedAccountsAndExpiresThem()
    {
        var accountId = await StartConnectedAsync(TimeSpan.FromMinutes(30));
        WeLink.SetSessionActive(accountId, false);

        using var operatorClient = App.CreateHttpClient(DashboardApp.OperatorToken);
        var response = await operatorClient.PostAsync("/api/accounts/check", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("queued").GetInt32());
        await Poll.UntilAsync(() => LoginStateAsync(accountId), s => s == "SessionExpired", TimeSpan.FromSeconds(15), "the fleet check to expire the session");
    }

    [Fact]
    public async Task CheckNow_ViewerOrUnknownAccount_ForbiddenOrNotFound()
    {
        var accountId = await StartConnectedAsync(TimeSpan.FromMinutes(30));

        using var viewer = App.CreateHttpClient(DashboardApp.ViewerToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/accounts/{accountId}/check", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/accounts/check", null)).StatusCode);
        using var operatorClient = App.CreateHttpClient(DashboardApp.OperatorToken);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.PostAsync("/api/accounts/nobody/check", null)).StatusCode);
        Assert.Equal("Connected", await LoginStateAsync(accountId));
    }
}
