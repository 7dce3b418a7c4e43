using WeLink.Emulator.Traffic;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Emulator;

/// <summary>The emulator's realistic signed traffic against the real dashboard.</summary>
public sealed class EmulatorTrafficTests : IDisposable
{
    private readonly DashboardApp _app = DashboardApp.StartInTempDirectory();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Send_2000Events_StoredUniqueEventsEqualAcknowledged()
    {
        var report = await new TrafficSender().RunAsync(new SendOptions
        {
            Target = new Uri(_app.BaseAddress, "/webhooks/welink"),
            Secret = DashboardApp.Secret,
            Count = 2000,
            Concurrency = 16,
            Accounts = 20,
            RedeliveryRatio = 0.05,
        }, CancellationToken.None);

        Assert.Equal(0, report.Errors);
        Assert.Equal(0, report.RejectedTotal);
        Assert.True(report.Redeliveries > 0);
        Assert.Equal(report.Events, report.UniqueAcknowledged);
        Assert.Equal(report.UniqueAcknowledged, _app.Scalar<long>("SELECT COUNT(*) FROM Events"));
        Assert.Equal(report.Acknowledged, _app.Scalar<long>("SELECT SUM(DeliveryCount) FROM Events"));

        // The traffic is realistic enough to exercise classification and attribution.
        Assert.Equal(report.UniqueAcknowledged, _app.Scalar<long>("SELECT SUM(Count) FROM HourlyEventCounts"));
        Assert.True(_app.Scalar<long>("SELECT COUNT(DISTINCT EventType) FROM Events") >= EventTypes.Documented.Count);
        Assert.True(_app.Scalar<long>("SELECT COUNT(*) FROM Events WHERE TypeSource = 'Correlated'") > 0);
        Assert.True(_app.Scalar<long>("SELECT COUNT(*) FROM Accounts") >= 10);
        Assert.True(_app.Scalar<long>("SELECT COUNT(*) FROM Events WHERE EventType = 'UNKNOWN'") > 0);
    }
}
