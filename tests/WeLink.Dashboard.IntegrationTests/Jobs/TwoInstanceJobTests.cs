using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Features.Jobs;

namespace WeLink.Dashboard.IntegrationTests.Jobs;

/// <summary>
/// Two instances (two <see cref="DashboardApp"/>s, real Kestrel) on one PostgreSQL database: the jobs that
/// must run once run on one of them, and the other takes them over when the holder stops or dies.
/// </summary>
[Trait("Provider", TestStore.PostgreSqlItself)]
public sealed class TwoInstanceJobTests : IAsyncLifetime
{
    private const string HookSecret = "hook-secret-for-two-instances";
    private readonly TestDirectory _dirA = new();
    private readonly TestDirectory _dirB = new();
    private readonly PostgresTestDatabase _database = new();
    private readonly List<DashboardApp> _apps = [];
    private AlertReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await AlertReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var app in _apps) app.Dispose();
        await _receiver.DisposeAsync();
        _database.Dispose();
        _dirB.Dispose();
        _dirA.Dispose();
    }

    private DashboardApp Start(TestDirectory directory, IDictionary<string, string?>? extra = null)
    {
        var settings = _database.DashboardSettings();
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        var app = DashboardApp.Start(directory.Path, settings: settings);
        _apps.Add(app);
        return app;
    }

    private static JobLeases Leases(DashboardApp app) => app.Services.GetRequiredService<JobLeases>();

    private string? HolderOf(string job) =>
        _database.Scalar<long>("""SELECT COUNT(*) FROM "JobLeases" WHERE "Name" = @n""", ("n", job)) == 0
            ? null
            : _database.Scalar<string>("""SELECT "Holder" FROM "JobLeases" WHERE "Name" = @n""", ("n", job));

    private Task<string?> WaitForHolderAsync(string job, string holder, TimeSpan limit) =>
        Poll.UntilAsync(() => Task.FromResult(HolderOf(job)), h => h == holder, limit, $"{holder} to hold {job}");

    /// <summary>
    /// Waits for <paramref name="app"/> to know that it holds <paramref name="job"/>'s lease. The row is visible to
    /// another connection as soon as the writer commits it; the instance records the lease when its write returns, a
    /// moment later.
    /// </summary>
    private static Task<bool> WaitUntilHoldsAsync(DashboardApp app, string job) =>
        Poll.UntilAsync(() => Task.FromResult(Leases(app).Holds(job)), held => held, TimeSpan.FromSeconds(5), $"the instance to know it holds {job}");

    [Fact]
    public async Task AlertSender_TwoInstancesOnOneDatabase_DeliversEachAlertOnce()
    {
        // A slow channel: while one instance's POST waits for its answer, the delivery is still pending, so
        // a second sender polling the outbox would send it too.
        _receiver.AnswerDelay = TimeSpan.FromSeconds(2);
        var alerts = new Dictionary<string, string?>
        {
            ["Alerts:Channels:0:Name"] = "hook",
            ["Alerts:Channels:0:Kind"] = "Webhook",
            ["Alerts:Channels:0:Url"] = _receiver.Url("/hook"),
            ["Alerts:Channels:0:Secret"] = HookSecret,
            ["Alerts:SendTimeout"] = "00:00:10",
        };
        var a = Start(_dirA, alerts);
        var b = Start(_dirB, alerts);
        // Whichever started sending first holds the lease; the other's loops, every second, meet it.
        var holder = await Poll.UntilAsync(() => Task.FromResult(HolderOf(JobNames.AlertSender)), h => h is not null, TimeSpan.FromSeconds(15), "a sender");
        var (sender, other) = holder == Leases(a).Holder ? (a, b) : (b, a);
        Assert.Equal(Leases(sender).Holder, holder);
        await Poll.UntilAsync(() => Task.FromResult(Leases(other).SkippedRuns(JobNames.AlertSender)), n => n > 0, TimeSpan.FromSeconds(15), "the other to skip sending");

        var pin = await b.PostSignedWebhookAsync("""{"status":"PIN_REQUIRED","request_id":"login-1","message":"Please provide the verification code"}""",
            "/webhooks/welink/LOGIN_PIN_REQUIRED?account=acc-1");
        Assert.Equal(HttpStatusCode.OK, pin.StatusCode);

        await Poll.UntilAsync(() => Task.FromResult(_database.Scalar<long>("""SELECT COUNT(*) FROM "AlertDeliveries" WHERE "DeliveredAt" IS NOT NULL""")),
            n => n == 1, TimeSpan.FromSeconds(20), "the alert's delivery to be recorded");
        var received = _receiver.Received.Where(r => r.Path == "/hook").ToList();
        Assert.Single(received);
        Assert.Equal("PinWaiting", JsonDocument.Parse(received[0].Body).RootElement.GetProperty("rule").GetString());
        Assert.Equal(1, _database.Scalar<long>("""SELECT COUNT(*) FROM "Alerts" """));
        Assert.False(Leases(other).Holds(JobNames.AlertSender));
        Assert.Equal(Leases(sender).Holder, HolderOf(JobNames.AlertSender));
    }

    [Fact]
    public async Task JobLease_HolderStopsGracefully_OtherTakesOverPromptly()
    {
        // Leases that would last a minute: a takeover within seconds can only come from the release.
        var slow = new Dictionary<string, string?> { ["Jobs:LeaseSeconds"] = "60" };
        var a = Start(_dirA, slow);
        var holderA = Leases(a).Holder;
        await WaitForHolderAsync(JobNames.RequestTracking, holderA, TimeSpan.FromSeconds(15));
        var b = Start(_dirB, slow);
        var holderB = Leases(b).Holder;
        await Poll.UntilAsync(() => Task.FromResult(Leases(b).SkippedRuns(JobNames.RequestTracking)), n => n > 0, TimeSpan.FromSeconds(15), "B to skip tracking");
        Assert.Equal(holderA, HolderOf(JobNames.RequestTracking));
        // PIN expiry looks every 5 s: A has it by its first look.
        await WaitForHolderAsync(JobNames.PinExpiry, holderA, TimeSpan.FromSeconds(15));

        a.Dispose();
        _apps.Remove(a);

        await WaitForHolderAsync(JobNames.RequestTracking, holderB, TimeSpan.FromSeconds(15));
        await WaitUntilHoldsAsync(b, JobNames.RequestTracking);
        // Every other job A ran went to B too, each at its next run (PIN expiry looks every 5 s).
        await WaitForHolderAsync(JobNames.PinExpiry, holderB, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task JobLease_HolderDied_OtherTakesOverOnlyAfterExpiry()
    {
        // The first start only creates and migrates the database; its leases go when it stops.
        Start(_dirA).Dispose();
        _apps.Clear();
        // A holder that died (SIGKILL leaves its row behind): its lease on request tracking runs four more seconds.
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(4).ToUnixTimeMilliseconds();
        _database.Execute($"""INSERT INTO "JobLeases" ("Name", "Holder", "ExpiresAt") VALUES ('{JobNames.RequestTracking}', 'dead-host/4242/0', {expiresAt})""");

        var b = Start(_dirB);
        var holderB = Leases(b).Holder;
        await Poll.UntilAsync(() => Task.FromResult(Leases(b).SkippedRuns(JobNames.RequestTracking)), n => n > 0, TimeSpan.FromSeconds(10), "B to skip tracking");
        Assert.Equal("dead-host/4242/0", HolderOf(JobNames.RequestTracking));
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < expiresAt, "the test's own start took longer than the dead lease lasts");

        await WaitForHolderAsync(JobNames.RequestTracking, holderB, TimeSpan.FromSeconds(15));

        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() >= expiresAt);
        await WaitUntilHoldsAsync(b, JobNames.RequestTracking);
    }
}
