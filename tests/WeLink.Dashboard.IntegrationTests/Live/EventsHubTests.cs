using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Live;

public sealed class EventsHubTests : IDisposable
{
    private readonly DashboardApp _app = DashboardApp.StartInTempDirectory();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task PostedEvent_ReachesARealSignalRClient()
    {
        var received = Channel.CreateUnbounded<EventSummary>();
        await using var connection = _app.CreateHubConnection(EventsHub.Route);
        connection.On<EventSummary>(EventsHub.EventReceived, summary => received.Writer.TryWrite(summary));
        await connection.StartAsync();

        var body = WebhookSigner.Sign("""{"status":"PIN_REQUIRED","request_id":"hub-1","message":"code please"}""", DashboardApp.Secret);
        await _app.PostWebhookAsync(body, "/webhooks/welink?account=acc-hub");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var summary = await received.Reader.ReadAsync(timeout.Token);
        Assert.Equal("hub-1", summary.RequestId);
        Assert.Equal(EventTypes.LoginPinRequired, summary.EventType);
        Assert.Equal("acc-hub", summary.AccountId);
        Assert.Equal(SignatureOutcome.VerifiedNode, summary.Signature);
    }

    [Fact]
    public async Task PostedEvent_ReachesInProcessFeedAfterCommit()
    {
        var feed = _app.Services.GetRequiredService<LiveFeed>();
        var seen = Channel.CreateUnbounded<LiveChange>();
        using var subscription = feed.Subscribe(change => seen.Writer.TryWrite(change));

        var body = WebhookSigner.Sign("""{"status":"SUCCESS","request_id":"feed-1","result":{"connected":true}}""", DashboardApp.Secret);
        await _app.PostWebhookAsync(body);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        LiveChange change;
        do change = await seen.Reader.ReadAsync(timeout.Token);
        while (change.Kind != LiveChangeKind.EventReceived);
        Assert.Equal("feed-1", change.Event!.RequestId);
        // Published after commit: the row is already readable.
        Assert.Equal(1, _app.Scalar<long>($"SELECT COUNT(*) FROM Events WHERE Id = {change.Event.Id}"));
    }
}
