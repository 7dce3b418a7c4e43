using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Features.Ingest;

namespace WeLink.Dashboard.IntegrationTests.Alerts;

/// <summary>
/// Alerts end to end with real servers on 127.0.0.1: webhooks posted to the real dashboard, alerts
/// arriving at an HTTP receiver standing in for a webhook receiver, Slack, Teams and Telegram, and at
/// a real SMTP server.
/// </summary>
public sealed class AlertDeliveryTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const string HookSecret = "alert-hook-secret-4b9d";
    private const string PublicUrl = "https://dash.example.com";

    private AlertReceiver _receiver = null!;
    private DashboardApp? _app;

    public async Task InitializeAsync() => _receiver = await AlertReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        _app?.Dispose();
        await _receiver.DisposeAsync();
    }

    private DashboardApp Start(IDictionary<string, string?>? extra = null, string remindAfter = "00:10:00")
    {
        var settings = new Dictionary<string, string?>
        {
            ["Dashboard:PublicUrl"] = PublicUrl,
            ["Alerts:TimerInterval"] = "00:00:00.100",
            ["Alerts:RetryBaseDelay"] = "00:00:00.050",
            ["Alerts:RetryMaxDelay"] = "00:00:00.300",
            ["Alerts:Rules:PinWaiting:RemindAfter"] = remindAfter,
            ["Alerts:Channels:0:Name"] = "hook",
            ["Alerts:Channels:0:Kind"] = "Webhook",
            ["Alerts:Channels:0:Url"] = _receiver.Url("/hook"),
            ["Alerts:Channels:0:Secret"] = HookSecret,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        _app = DashboardApp.StartInTempDirectory(settings: settings);
        return _app;
    }

    private async Task PostAsync(string json, string path) =>
        Assert.Equal(HttpStatusCode.OK, (await _app!.PostSignedWebhookAsync(json, path)).StatusCode);

    private Task PinRequiredAsync(string requestId, string account) =>
        PostAsync($$"""{"status":"PIN_REQUIRED","request_id":"{{requestId}}","message":"Please provide the verification code"}""",
            $"/webhooks/welink/LOGIN_PIN_REQUIRED?account={account}");

    private Task LoginSucceededAsync(string requestId, string account) =>
        PostAsync($$$"""{"status":"SUCCESS","request_id":"{{{requestId}}}","result":{"first_name":"Ada","email":"ada@example.com","profile_id":"P-{{{account}}}"}}""",
            $"/webhooks/welink/LOGIN_SUCCESS?account={account}");

    private Task LoginFailedAsync(string requestId, string account) =>
        PostAsync($$"""{"status":"FAILED","request_id":"{{requestId}}","error":"INVALID_CREDENTIALS"}""", $"/webhooks/welink/LOGIN_FAILED?account={account}");

    private static JsonElement Json(ReceivedAlert alert) => JsonDocument.Parse(alert.Body).RootElement.Clone();

    private IReadOnlyList<ReceivedAlert> Hook(string? rule = null) =>
        _receiver.Accepted.Where(a => a.Path == "/hook" && (rule is null || Json(a).GetProperty("rule").GetString() == rule)).ToList();

    /// <summary>The message id inside an <c>X-Alert-Id</c>: the outbox's order.</summary>
    private static long Sequence(string alertId) => long.Parse(alertId[(alertId.LastIndexOf('-') + 1)..]);

    [Fact]
    public async Task PinRequired_ReachesEveryChannelKindWithinTwoSeconds_SignedWithTheirShapesAndLinks()
    {
        await using var smtp = SmtpSink.Start();
        Start(new Dictionary<string, string?>
        {
            ["Alerts:Channels:1:Name"] = "slack",
            ["Alerts:Channels:1:Kind"] = "Slack",
            ["Alerts:Channels:1:Url"] = _receiver.Url("/services/T000/B000/slack-path-secret"),
            ["Alerts:Channels:2:Name"] = "teams",
            ["Alerts:Channels:2:Kind"] = "Teams",
            ["Alerts:Channels:2:Url"] = _receiver.Url("/workflows/teams-path-secret"),
            ["Alerts:Channels:3:Name"] = "telegram",
            ["Alerts:Channels:3:Kind"] = "Telegram",
            ["Alerts:Channels:3:BotToken"] = "123456:telegram-token-secret",
            ["Alerts:Channels:3:ChatId"] = "-10042",
            ["Alerts:Channels:3:ApiBaseUrl"] = _receiver.BaseAddress.ToString(),
            ["Alerts:Channels:4:Name"] = "mail",
            ["Alerts:Channels:4:Kind"] = "Email",
            ["Alerts:Channels:4:SmtpHost"] = "127.0.0.1",
            ["Alerts:Channels:4:SmtpPort"] = smtp.Port.ToString(),
            ["Alerts:Channels:4:UseTls"] = "false",
            ["Alerts:Channels:4:From"] = "dashboard@example.com",
            ["Alerts:Channels:4:To"] = "ops@example.com, oncall@example.com",
        });

        await PinRequiredAsync("login-7", "acc-1");
        var acked = AlertReceiver.Clock.Elapsed;

        var hook = (await _receiver.WaitForAsync(r => r.Any(a => a.Path == "/hook"), TimeSpan.FromSeconds(10), "the webhook alert")).First(a => a.Path == "/hook");
        output.WriteLine($"alert latency, webhook acknowledged → receiver: {(hook.At - acked).TotalMilliseconds:0} ms");
        Assert.True(hook.At - acked < TimeSpan.FromSeconds(2), $"the alert took {(hook.At - acked).TotalMilliseconds:0} ms");
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(HookSecret), hook.Body)), hook.Signature);
        var json = Json(hook);
        Assert.Equal(hook.AlertId, json.GetProperty("id").GetString());
        Assert.Equal("PinWaiting", json.GetProperty("rule").GetString());
        Assert.Equal("firing", json.GetProperty("state").GetString());
        Assert.Equal("critical", json.GetProperty("severity").GetString());
        Assert.Equal("acc-1", json.GetProperty("account").GetProperty("id").GetString());
        Assert.True(json.GetProperty("account").TryGetProperty("email", out _));
        Assert.Contains("PIN", json.GetProperty("summary").GetString());
        Assert.True(DateTimeOffset.TryParse(json.GetProperty("at").GetString(), out _));
        Assert.Equal($"{PublicUrl}/pins?request=login-7", json.GetProperty("link").GetString());

        var all = await _receiver.WaitForAsync(r => r.Count >= 4, TimeSpan.FromSeconds(10), "Slack, Teams and Telegram");
        var slack = Json(all.Single(a => a.Path.StartsWith("/services/", StringComparison.Ordinal)));
        Assert.Contains("PIN", slack.GetProperty("text").GetString());
        Assert.Equal("section", slack.GetProperty("blocks")[0].GetProperty("type").GetString());
        Assert.Contains($"<{PublicUrl}/pins?request=login-7|", slack.GetProperty("blocks")[1].GetProperty("elements")[0].GetProperty("text").GetString());

        var teams = Json(all.Single(a => a.Path.StartsWith("/workflows/", StringComparison.Ordinal)));
        Assert.Equal("message", teams.GetProperty("type").GetString());
        var attachment = teams.GetProperty("attachments")[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal("AdaptiveCard", attachment.GetProperty("content").GetProperty("type").GetString());
        Assert.Equal($"{PublicUrl}/pins?request=login-7", attachment.GetProperty("content").GetProperty("actions")[0].GetProperty("url").GetString());

        var telegram = all.Single(a => a.Path.EndsWith("/sendMessage", StringComparison.Ordinal));
        Assert.Equal("/bot123456:telegram-token-secret/sendMessage", telegram.Path);
        Assert.Equal("-10042", Json(telegram).GetProperty("chat_id").GetString());
        Assert.Contains($"{PublicUrl}/pins?request=login-7", Json(telegram).GetProperty("text").GetString());

        var mail = await Poll.UntilAsync(() => Task.FromResult(smtp.Messages), m => m.Count >= 1, TimeSpan.FromSeconds(10), "the e-mail");
        Assert.Equal(["ops@example.com", "oncall@example.com"], mail[0].To.Mailboxes.Select(m => m.Address));
        Assert.Contains($"{PublicUrl}/pins?request=login-7", mail[0].TextBody);
        Assert.Contains($"href=\"{PublicUrl}/pins?request=login-7\"", mail[0].HtmlBody);
        Assert.Equal(hook.AlertId, mail[0].Headers["X-Alert-Id"]);
    }

    [Fact]
    public async Task PinWaiting_StillPending_RemindsThenResolvesWhenAnswered()
    {
        Start(remindAfter: "00:00:00.500");

        await PinRequiredAsync("login-1", "acc-1");
        var reminded = await _receiver.WaitForAsync(r => r.Count >= 2, TimeSpan.FromSeconds(10), "the alert and its reminder");
        Assert.Equal(["firing", "firing"], reminded.Select(a => Json(a).GetProperty("state").GetString()));
        Assert.Contains("-reminder-", reminded[1].AlertId);

        await LoginSucceededAsync("login-1", "acc-1");
        var all = await _receiver.WaitForAsync(r => r.Count >= 3, TimeSpan.FromSeconds(10), "Resolved");
        var resolved = Json(all[2]);
        Assert.Equal("PinWaiting", resolved.GetProperty("rule").GetString());
        Assert.Equal("resolved", resolved.GetProperty("state").GetString());
        Assert.Equal("Ada", resolved.GetProperty("account").GetProperty("name").GetString());
    }

    [Fact]
    public async Task TenPinRequestsForOneAccount_InsideTheCooldown_OneAlertAndOneReminder()
    {
        Start(remindAfter: "00:00:00.500");

        for (var i = 0; i < 10; i++) await PinRequiredAsync($"login-{i}", "acc-1");
        await _receiver.WaitForAsync(r => r.Any(a => a.AlertId!.Contains("-reminder-")), TimeSpan.FromSeconds(10), "the reminder");
        // A later alert of another account marks a point after which a stray PIN alert would have shown.
        await LoginFailedAsync("other-1", "acc-2");
        await _receiver.WaitForAsync(r => r.Any(a => Json(a).GetProperty("rule").GetString() == "LoginFailed"), TimeSpan.FromSeconds(10), "the later alert");

        var pins = Hook("PinWaiting");
        Assert.Equal(2, pins.Count);
        Assert.StartsWith($"{PublicUrl}/pins?request=login-", Json(pins[1]).GetProperty("link").GetString());
        Assert.Equal(2, _app!.Scalar<long>("SELECT COUNT(*) FROM AlertMessages WHERE Rule = 'PinWaiting'"));
    }

    [Fact]
    public async Task PinRequestsWithNoKnownAccount_OneAlertPerRequest_AskedAgainJoinsIt_ResolvedWithTheAnswer()
    {
        // No timer pass during the test: the answer itself must end its request's alert.
        Start(new Dictionary<string, string?> { ["Alerts:TimerInterval"] = "00:10:00" });
        // Closed alerts with no account and other subjects, as weeks of them leave: the requests below must find their own.
        _app!.Rows("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
            INSERT INTO Alerts (Rule, AccountId, Subject, OpenedAt, LastRaisedAt, ResolvedAt) SELECT 'PinWaiting', NULL, 'old-' || i, i, i, i FROM n
            """);

        // No hint and no account in the bodies: only the request ids tell the PIN requests apart.
        await PostAsync("""{"status":"PIN_REQUIRED","request_id":"anon-1","message":"Please provide the verification code"}""", "/webhooks/welink");
        await PostAsync("""{"status":"PIN_REQUIRED","request_id":"anon-2","message":"Please provide the verification code"}""", "/webhooks/welink");
        await PostAsync("""{"status":"PIN_REQUIRED","request_id":"anon-1","message":"Please provide the new verification code"}""", "/webhooks/welink");
        var firing = await _receiver.WaitForAsync(r => r.Count(a => a.Path == "/hook") >= 2, TimeSpan.FromSeconds(10), "two PIN alerts");
        Assert.Equal([$"{PublicUrl}/pins?request=anon-1", $"{PublicUrl}/pins?request=anon-2"],
            firing.Where(a => a.Path == "/hook").Select(a => Json(a).GetProperty("link").GetString()).Order());
        Assert.Equal(2, _app.Scalar<long>("SELECT COUNT(*) FROM Alerts WHERE Rule = 'PinWaiting' AND AccountId IS NULL AND ResolvedAt IS NULL"));

        await PostAsync("""{"status":"SUCCESS","request_id":"anon-1","result":{"first_name":"Ada"}}""", "/webhooks/welink");
        // Committed with the answer, before its 200.
        Assert.Equal(["anon-2"], _app.Rows("SELECT Subject FROM Alerts WHERE Rule = 'PinWaiting' AND AccountId IS NULL AND ResolvedAt IS NULL").Select(r => (string?)r[0]));
        var resolved = await _receiver.WaitForAsync(r => r.Any(a => a.Path == "/hook" && Json(a).GetProperty("state").GetString() == "resolved"),
            TimeSpan.FromSeconds(10), "the answered request's alert resolved");
        Assert.Equal($"{PublicUrl}/pins?request=anon-1", Json(resolved.Single(a => a.Path == "/hook" && Json(a).GetProperty("state").GetString() == "resolved"))
            .GetProperty("link").GetString());
    }

    [Fact]
    public async Task ReceiverDownThenUp_EveryAlertDeliveredInOrderPerAccount_NoneSentAgainAfterItsTwoHundred()
    {
        _receiver.Answer = 503;
        Start();
        string[] accounts = ["acc-a", "acc-b", "acc-c"];
        foreach (var account in accounts)
        {
            await PinRequiredAsync($"{account}-l1", account);   // PinWaiting firing
            await LoginFailedAsync($"{account}-l1", account);   // PinWaiting resolved, LoginFailed firing
            await LoginSucceededAsync($"{account}-l2", account); // LoginFailed resolved
        }
        const int expected = 12;
        Assert.Equal(expected, _app!.Scalar<long>("SELECT COUNT(*) FROM AlertMessages"));

        // Every account's first alert is refused several times while the rest wait behind it.
        await Poll.UntilAsync(() => Task.FromResult(_receiver.Received.Count(r => r.Status == 503)), n => n >= 9, TimeSpan.FromSeconds(20), "refused attempts");
        _receiver.Answer = 200;
        var accepted = await _receiver.WaitForAsync(r => r.Count >= expected, TimeSpan.FromSeconds(20), "every alert");

        Assert.Equal(expected, accepted.Select(a => a.AlertId).Distinct().Count());
        foreach (var account in accounts)
        {
            var sequence = accepted.Where(a => Json(a).GetProperty("account").GetProperty("id").GetString() == account).Select(a => Sequence(a.AlertId!)).ToList();
            Assert.Equal(4, sequence.Count);
            Assert.Equal(sequence.Order(), sequence);
        }
        // A refused attempt was retried under the same id; once accepted, an alert is not posted again.
        Assert.All(_receiver.Received.Where(r => r.Status == 503), refused => Assert.Contains(refused.AlertId, accepted.Select(a => a.AlertId)));
        await LoginFailedAsync("later", "acc-z");
        await _receiver.WaitForAsync(r => r.Count >= expected + 1, TimeSpan.FromSeconds(10), "one more alert");
        Assert.Equal(expected + 1, _receiver.Accepted.Count);
        // The sender records a delivery after the receiver's 200 has come back: wait for that write.
        await Poll.UntilAsync(() => Task.FromResult(_app.Scalar<long>("SELECT COUNT(*) FROM AlertDeliveries WHERE Status = 'Delivered'")),
            n => n == expected + 1, TimeSpan.FromSeconds(10), "every delivery recorded");
        Assert.Equal(expected + 1, _receiver.Accepted.Count);
    }

    [Fact]
    public async Task TwoHundredSignatureFailures_RaiseOneRejectedDeliveriesAlert()
    {
        Start();
        var rejected = _app!.Services.GetRequiredService<RejectedDeliveries>();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 100; i++)
            {
                var answer = await _app.PostWebhookAsync($$"""{"status":"SUCCESS","request_id":"x{{round}}-{{i}}","hash":"{{new string('0', 64)}}"}""");
                Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            }
            await rejected.FlushAsync(CancellationToken.None);
        }

        var alert = (await _receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(10), "the RejectedDeliveries alert")).Single();
        var json = Json(alert);
        Assert.Equal("RejectedDeliveries", json.GetProperty("rule").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("account").ValueKind);
        Assert.Contains("signature", json.GetProperty("summary").GetString());
        Assert.Equal(1, _app.Scalar<long>("SELECT COUNT(*) FROM AlertMessages WHERE Rule = 'RejectedDeliveries'"));
        Assert.Equal(200, _app.Scalar<long>("SELECT SUM(Count) FROM AlertRejectionCounts"));
    }

    [Fact]
    public async Task AccountStates_RaiseAndResolve_LoginFailedRestrictedSessionExpired()
    {
        Start();
        await LoginFailedAsync("l1", "acc-1");
        await PostAsync("""{"status":"FAILED","request_id":"c1","error":"ACCOUNT_RESTRICTED"}""", "/webhooks/welink/CONNECTION_FAILED?account=acc-1");
        await LoginSucceededAsync("l2", "acc-1");

        var all = await _receiver.WaitForAsync(r => r.Count >= 4, TimeSpan.FromSeconds(10), "raised and resolved");
        Assert.Equal(
            ["LoginFailed firing", "LoginFailed resolved", "Restricted firing", "Restricted resolved"],
            all.Select(a => $"{Json(a).GetProperty("rule").GetString()} {Json(a).GetProperty("state").GetString()}").Order());
        Assert.All(all, a => Assert.Equal($"{PublicUrl}/accounts/acc-1", Json(a).GetProperty("link").GetString()));
    }

    [Fact]
    public async Task ErrorSpike_ThresholdReached_OneAlertLinkingTheFilteredLog()
    {
        Start(new Dictionary<string, string?> { ["Alerts:Rules:ErrorSpike:Threshold"] = "5" });
        for (var i = 0; i < 7; i++)
            await PostAsync($$"""{"status":"FAILED","request_id":"c{{i}}","error":"PROFILE_NOT_FOUND"}""", $"/webhooks/welink/CONNECTION_FAILED?account=acc-{i % 3}");

        var spike = Json((await _receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(10), "the spike")).Single());
        Assert.Equal("ErrorSpike", spike.GetProperty("rule").GetString());
        Assert.StartsWith($"{PublicUrl}/events?errorCode=PROFILE_NOT_FOUND", spike.GetProperty("link").GetString());
        await LoginFailedAsync("l1", "acc-9");
        await _receiver.WaitForAsync(r => r.Count >= 2, TimeSpan.FromSeconds(10), "a later alert");
        Assert.Single(Hook("ErrorSpike"));
    }
}
