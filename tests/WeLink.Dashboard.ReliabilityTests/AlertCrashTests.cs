using System.Net;
using System.Net.Http.Headers;
using System.Text;
using WeLink.Webhooks;

namespace WeLink.Dashboard.ReliabilityTests;

/// <summary>The alert outbox survives a SIGKILL: what was not delivered before the kill is sent after the restart.</summary>
public sealed class AlertCrashTests
{
    [Fact]
    public async Task AlertOutbox_DashboardKilledWhileChannelDown_AlertSentAfterRestart()
    {
        using var folder = new TestFolder();
        await using var receiver = await AlertReceiver.StartAsync();
        receiver.Answer = 503;
        var settings = new Dictionary<string, string>
        {
            ["Alerts__RetryBaseDelay"] = "00:00:00.050",
            ["Alerts__RetryMaxDelay"] = "00:00:00.200",
            ["Alerts__Channels__0__Name"] = "hook",
            ["Alerts__Channels__0__Kind"] = "Webhook",
            ["Alerts__Channels__0__Url"] = receiver.Url("/hook"),
            ["Alerts__Channels__0__Secret"] = "crash-alert-secret",
            // The killed process still holds the alert sender's lease: the restarted one (a new holder)
            // takes it when it expires, as another instance would. A short lease keeps that wait short.
            ["Jobs__LeaseSeconds"] = "2",
        };

        string alertId;
        var server = await ChildDashboard.StartAsync(folder.Database, folder.Logs, settings);
        try
        {
            var body = WebhookSigner.Sign("""{"status":"PIN_REQUIRED","request_id":"crash-login","message":"code"}""", ChildDashboard.Secret);
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var answer = await server.Http.PostAsync("/webhooks/welink/LOGIN_PIN_REQUIRED?account=acc-crash", content);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var refused = await Poll.UntilAsync(() => Task.FromResult(receiver.Received), r => r.Count >= 2, TimeSpan.FromSeconds(20), "refused attempts");
            alertId = refused[0].AlertId!;
            await server.KillAsync();
        }
        finally
        {
            await server.DisposeAsync();
        }
        Assert.Empty(receiver.Accepted);

        receiver.Answer = 200;
        var restarted = await ChildDashboard.StartAsync(folder.Database, folder.Logs, settings);
        try
        {
            var delivered = await receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(20), "the alert after the restart");
            Assert.Equal(alertId, delivered.Single().AlertId);
            Assert.Contains("acc-crash", delivered.Single().Text);
        }
        finally
        {
            await restarted.DisposeAsync();
        }
    }
}
