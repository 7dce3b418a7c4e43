using System.Net;
using System.Text.Json;
using WeLink.Emulator.Tests.Support;
using WeLink.Emulator.Traffic;
using WeLink.Webhooks;

namespace WeLink.Emulator.Tests.Traffic;

public sealed class TrafficSenderTests
{
    private const string Secret = "sender-secret";

    [Fact]
    public async Task RunAsync_ReceiverAcceptsAll_EverythingAcknowledged()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var options = new SendOptions { Target = receiver.Url, Secret = Secret, Count = 300, Concurrency = 8, RedeliveryRatio = 0.1, RunId = "run1" };
        var generated = new TrafficGenerator(options).Generate();

        var report = await new TrafficSender().SendAsync(generated, options, CancellationToken.None);

        var received = receiver.Received;
        Assert.Equal(generated.Count, report.Sent);
        Assert.Equal(generated.Count, received.Count);
        Assert.Equal(report.Sent, report.Acknowledged);
        Assert.Equal(300, report.Events);
        Assert.Equal(300, report.UniqueAcknowledged);
        Assert.Equal(generated.Count(e => e.IsRedelivery), report.Redeliveries);
        Assert.True(report.Redeliveries > 0);
        Assert.Empty(report.Rejected);
        Assert.Equal(0, report.Errors);
        Assert.True(report.AllAcknowledged);
        Assert.True(report.EventsPerSecond > 0);
        Assert.Equal(generated.Select(e => e.Url.PathAndQuery + " " + e.Body).Order(), received.Select(r => r.PathAndQuery + " " + r.Body).Order());
        Assert.All(received, r => Assert.Equal("application/json", r.ContentType));
        var verifier = new WebhookSignatureVerifier(Secret);
        Assert.All(received, r =>
        {
            using var document = JsonDocument.Parse(r.Body);
            Assert.True(verifier.Verify(document.RootElement).IsAccepted());
        });
    }

    [Fact]
    public async Task RunAsync_ReceiverRejectsSome_CountsRejectionsAndDistinctAcknowledgements()
    {
        await using var receiver = await WebhookReceiver.StartAsync(rejectShare: 0.2);
        var options = new SendOptions { Target = receiver.Url, Count = 400, Concurrency = 16, RedeliveryRatio = 0.3 };

        var report = await new TrafficSender().RunAsync(options, CancellationToken.None);

        var received = receiver.Received;
        var rejected = received.Count(r => r.Status == 503);
        Assert.InRange(rejected, 1, received.Count - 1);
        Assert.Equal(received.Count, report.Sent);
        Assert.Equal(received.Count(r => r.Status == 200), report.Acknowledged);
        Assert.Equal(rejected, report.Rejected[503]);
        Assert.Equal(rejected, report.RejectedTotal);
        Assert.Equal(received.Where(r => r.Status == 200).Select(r => r.Body).Distinct().Count(), report.UniqueAcknowledged);
        Assert.True(report.UniqueAcknowledged < report.Events);
        Assert.False(report.AllAcknowledged);
    }

    [Fact]
    public async Task RunAsync_PinLogins_PinRequiredArrivesBeforeItsOutcome()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var options = new SendOptions { Target = receiver.Url, Count = 500, Concurrency = 32, RedeliveryRatio = 0 };

        await new TrafficSender().RunAsync(options, CancellationToken.None);

        var order = receiver.Received.Select((r, i) => (Index: i, Root: JsonDocument.Parse(r.Body).RootElement)).ToList();
        string RequestId(JsonElement root) =>
            (root.TryGetProperty("request_id", out var id) ? id : root.GetProperty("requestId")).GetString()!;
        var pins = order.Where(o => o.Root.GetProperty("status").GetString() == "PIN_REQUIRED").ToList();
        Assert.NotEmpty(pins);
        foreach (var pin in pins)
        {
            var later = order.Where(o => RequestId(o.Root) == RequestId(pin.Root) && o.Index != pin.Index).ToList();
            var outcome = Assert.Single(later);
            Assert.True(outcome.Index > pin.Index);
        }
    }

    [Fact]
    public async Task RunAsync_WithRate_IsPacedByTheTokenBucket()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var options = new SendOptions { Target = receiver.Url, Count = 60, Rate = 200, Concurrency = 8, RedeliveryRatio = 0 };

        var report = await new TrafficSender().RunAsync(options, CancellationToken.None);

        Assert.Equal(60, report.Acknowledged);
        // 60 posts at 200/s with a two-token burst cannot finish before ~0.29 s.
        Assert.True(report.Elapsed >= TimeSpan.FromMilliseconds(250), $"took {report.Elapsed}");
    }

    [Fact]
    public async Task RunAsync_NobodyListening_CountsTransportErrors()
    {
        var options = new SendOptions { Target = new Uri($"http://127.0.0.1:{FreePort.Next()}/webhooks/welink"), Count = 10, Concurrency = 2, RedeliveryRatio = 0 };

        var report = await new TrafficSender().RunAsync(options, CancellationToken.None);

        Assert.Equal(10, report.Sent);
        Assert.Equal(10, report.Errors);
        Assert.Equal(0, report.Acknowledged);
        Assert.NotNull(report.FirstError);
        Assert.False(report.AllAcknowledged);
    }

    [Fact]
    public async Task RunAsync_Cancelled_Throws()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var options = new SendOptions { Target = receiver.Url, Count = 50 };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new TrafficSender().RunAsync(options, cancelled.Token));
    }

}
