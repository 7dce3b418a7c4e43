using System.Net;
using WeLink.Dashboard.IntegrationTests.Security;

namespace WeLink.Dashboard.IntegrationTests.Alerts;

/// <summary>
/// Channel URLs, tokens and passwords are secrets: with every channel failing (so errors are recorded
/// and logged), none of them shows in <c>GET /api/alerts</c>, on the Alerts page, in the database
/// file or in any log file, at the most detailed log level. Runs alone, as the PIN hygiene test does.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class AlertSecretHygieneTests : IAsyncLifetime
{
    private const string SlackPath = "/services/T0SECRET/B0SECRET/slackpathsecret7f3a";
    private const string HookSecret = "hook-hmac-secret-91d2";
    private const string BotToken = "987654:telegram-bot-token-c55e";
    private const string SmtpPassword = "smtp-password-6a0f";

    private readonly TestDirectory _dir = new();
    private AlertReceiver _receiver = null!;
    private DashboardApp _app = null!;

    public async Task InitializeAsync()
    {
        _receiver = await AlertReceiver.StartAsync();
        _receiver.Answer = 500;
        var closedPort = FreePort.Next();
        _app = DashboardApp.Start(_dir.Path, settings: new Dictionary<string, string?>
        {
            ["Alerts:RetryBaseDelay"] = "00:00:00.050",
            ["Alerts:RetryMaxDelay"] = "00:00:00.200",
            ["Alerts:Channels:0:Name"] = "hook",
            ["Alerts:Channels:0:Kind"] = "Webhook",
            ["Alerts:Channels:0:Url"] = _receiver.Url("/hook/hookpathsecret"),
            ["Alerts:Channels:0:Secret"] = HookSecret,
            ["Alerts:Channels:1:Name"] = "slack",
            ["Alerts:Channels:1:Kind"] = "Slack",
            ["Alerts:Channels:1:Url"] = $"http://127.0.0.1:{closedPort}{SlackPath}",
            ["Alerts:Channels:2:Name"] = "telegram",
            ["Alerts:Channels:2:Kind"] = "Telegram",
            ["Alerts:Channels:2:BotToken"] = BotToken,
            ["Alerts:Channels:2:ChatId"] = "42",
            ["Alerts:Channels:2:ApiBaseUrl"] = _receiver.BaseAddress.ToString(),
            ["Alerts:Channels:3:Name"] = "mail",
            ["Alerts:Channels:3:Kind"] = "Email",
            ["Alerts:Channels:3:SmtpHost"] = "127.0.0.1",
            ["Alerts:Channels:3:SmtpPort"] = closedPort.ToString(),
            ["Alerts:Channels:3:UseTls"] = "false",
            ["Alerts:Channels:3:User"] = "mailer",
            ["Alerts:Channels:3:Password"] = SmtpPassword,
            ["Alerts:Channels:3:From"] = "dashboard@example.com",
            ["Alerts:Channels:3:To"] = "ops@example.com",
            ["Serilog:MinimumLevel:Default"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft"] = "Verbose",
            ["Serilog:MinimumLevel:Override:System"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Verbose",
        });
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _receiver.DisposeAsync();
        _dir.Dispose();
    }

    private static readonly string[] Secrets = ["slackpathsecret7f3a", "hookpathsecret", HookSecret, "telegram-bot-token-c55e", SmtpPassword];

    [Fact]
    public async Task FailingChannels_NoUrlTokenOrPasswordInApiPageDatabaseOrLogs()
    {
        var answer = await _app.PostSignedWebhookAsync("""{"status":"PIN_REQUIRED","request_id":"hyg-1","message":"code"}""",
            "/webhooks/welink/LOGIN_PIN_REQUIRED?account=acc-h");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        await Poll.UntilAsync(() => Task.FromResult(_app.Scalar<long>("SELECT COUNT(*) FROM AlertDeliveries WHERE Attempts >= 2 AND LastError IS NOT NULL")),
            n => n == 4, TimeSpan.FromSeconds(30), "every channel to fail twice");

        var api = await _app.Http.GetStringAsync("/api/alerts");
        Assert.Contains("\"channels\"", api);
        Assert.Contains("http://127.0.0.1:", api);
        Assert.Contains("••••", api);

        using var signIn = SignInFlow.For(_app);
        await signIn.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);
        var page = await signIn.Client.GetStringAsync("/admin/alerts");
        Assert.Contains("Send test", page);

        Assert.Equal(HttpStatusCode.Forbidden, (await _app.CreateHttpClient(DashboardApp.OperatorToken).GetAsync("/api/alerts")).StatusCode);

        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, api);
            Assert.DoesNotContain(secret, page);
            FileSearch.AssertNowhere(_dir.Path, secret);
        }
    }
}
