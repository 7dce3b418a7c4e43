using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Features.Retention;
using WeLink.Dashboard.ReliabilityTests.Infrastructure;

namespace WeLink.Dashboard.ReliabilityTests;

public sealed class RetentionTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class App(string database, Clock clock) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Dashboard"] = $"Data Source={database}",
                ["WeLink:WebhookSecret"] = SignedEvents.Secret,
                ["Ingest:RetentionDays"] = "30",
                ["Dashboard:AdminPassword"] = "reliability-admin-password",
                ["Serilog:WriteTo:1:Args:path"] = Path.Combine(Path.GetDirectoryName(database)!, "logs", "dashboard-.log"),
            };
            // In the PostgreSQL pass, a database standing in for the file.
            foreach (var (key, value) in TestStore.SettingsFor(database, [])) settings[key] = value;
            builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock));
        }
    }

    [Fact]
    public async Task RunOnce_EventsOlderThanRetention_DeletedInBatchesWithTheirCountersWhileIngestGoesOn()
    {
        using var folder = new TestFolder();
        var clock = new Clock();
        await using var app = new App(folder.Database, clock);
        var http = app.CreateClient();
        var now = DateTimeOffset.UtcNow;

        // 1,300 events received 40 days ago (three delete batches), then 50 today.
        clock.Now = now.AddDays(-40);
        var old = SignedEvents.Make(1_300, "old");
        await SendAllAsync(http, old);
        clock.Now = now;
        var recent = SignedEvents.Make(50, "recent");
        await SendAllAsync(http, recent);
        var onPostgreSql = TestStore.Find(folder.Database) is not null;
        var pagesBefore = onPostgreSql ? 0 : SignedEvents.Scalar<long>(folder.Database, "PRAGMA page_count");
        if (!onPostgreSql) Assert.Equal(2, SignedEvents.Scalar<long>(folder.Database, "PRAGMA auto_vacuum")); // incremental

        // Ingest goes on during the pass.
        var during = SignedEvents.Make(300, "during");
        var sending = SendAllAsync(http, during);
        var report = await app.Services.GetRequiredService<EventRetention>().RunOnceAsync(CancellationToken.None);
        await sending;

        Assert.Equal(1_300, report.Events);
        var stored = SignedEvents.StoredRequestIds(folder.Database);
        Assert.Equal(recent.Concat(during).Select(e => e.RequestId).Order(), stored.Keys.Order());

        // Counters agree with the log: the old hours are gone, and each account counts what it still has.
        Assert.Equal(0, SignedEvents.Scalar<long>(folder.Database, $"SELECT COUNT(*) FROM HourlyEventCounts WHERE Hour < {report.Cutoff}"));
        Assert.Equal(350, SignedEvents.Scalar<long>(folder.Database, "SELECT SUM(Count) FROM HourlyEventCounts"));
        Assert.Equal(0, SignedEvents.Scalar<long>(folder.Database,
            "SELECT COUNT(*) FROM Accounts a WHERE a.EventCount <> (SELECT COUNT(*) FROM Events e WHERE e.AccountId = a.AccountId)"));
        Assert.Equal(0, SignedEvents.Scalar<long>(folder.Database, $"SELECT COUNT(*) FROM Requests WHERE CreatedAt < {report.Cutoff}"));
        // Accounts keep what describes them (last event, state), even when that event is gone.
        Assert.Equal(17, SignedEvents.Scalar<long>(folder.Database, "SELECT COUNT(*) FROM Accounts WHERE LastEventAt IS NOT NULL"));

        // SQLite: the freed pages went back to the file system (PostgreSQL's autovacuum reuses them in place).
        if (!onPostgreSql)
        {
            Assert.True(report.PagesReclaimed > 0);
            Assert.Equal(0, SignedEvents.Scalar<long>(folder.Database, "PRAGMA freelist_count"));
            Assert.True(SignedEvents.Scalar<long>(folder.Database, "PRAGMA page_count") < pagesBefore);
        }

        // A second pass finds no event to delete.
        var again = await app.Services.GetRequiredService<EventRetention>().RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, again.Events);
    }

    [Fact]
    public async Task RunOnce_GatewayCallsOlderThanRetention_DeletedInBatchesNewerKept()
    {
        using var folder = new TestFolder();
        var clock = new Clock();
        await using var app = new App(folder.Database, clock);
        _ = app.CreateClient(); // starts the app: the schema is in place
        var now = DateTimeOffset.UtcNow;
        var old = now.AddDays(-40).ToUnixTimeMilliseconds();
        var recent = now.AddMinutes(-5).ToUnixTimeMilliseconds();
        // 1,200 old calls (three delete batches) and 30 recent ones.
        Assert.Equal(1_230, SignedEvents.Scalar<long>(folder.Database,
            $"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1230)
            INSERT INTO GatewayCalls (At, Caller, Action, AccountId, Status, Budget)
            SELECT CASE WHEN i <= 1200 THEN {old} + i ELSE {recent} + i END, 'api-key', 'connect', 'acc-001', 200, 'Actions' FROM n;
            SELECT COUNT(*) FROM GatewayCalls
            """));

        var report = await app.Services.GetRequiredService<EventRetention>().RunOnceAsync(CancellationToken.None);

        Assert.True(report.OtherRows >= 1_200, $"{report.OtherRows} rows deleted");
        Assert.Equal(0, SignedEvents.Scalar<long>(folder.Database, $"SELECT COUNT(*) FROM GatewayCalls WHERE At < {report.Cutoff}"));
        Assert.Equal(30, SignedEvents.Scalar<long>(folder.Database, "SELECT COUNT(*) FROM GatewayCalls"));
    }

    [Fact]
    public async Task RunOnce_AlertsOlderThanRetention_DeliveredAndResolvedGoPendingDeliveriesAndOpenAlertsStay()
    {
        using var folder = new TestFolder();
        var clock = new Clock();
        await using var app = new App(folder.Database, clock);
        _ = app.CreateClient();
        var old = DateTimeOffset.UtcNow.AddDays(-40).ToUnixTimeMilliseconds();
        var recent = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();
        // 1: old, resolved, delivered (all goes); 2: old, resolved, its delivery still pending (all stays);
        // 3: old but still open, delivered (the message goes, the alert stays); 4: recent (all stays).
        SignedEvents.Scalar<long>(folder.Database,
            $"""
            INSERT INTO Alerts (Id, Rule, AccountId, Subject, OpenedAt, LastRaisedAt, ResolvedAt) VALUES
                (1, 'LoginFailed', 'acc-1', NULL, {old}, {old}, {old} + 10),
                (2, 'LoginFailed', 'acc-2', NULL, {old}, {old}, {old} + 10),
                (3, 'Restricted', 'acc-3', NULL, {old}, {old}, NULL),
                (4, 'LoginFailed', 'acc-4', NULL, {recent}, {recent}, {recent} + 10);
            INSERT INTO AlertMessages (Id, AlertId, Kind, Rule, AccountId, At, DispatchedAt) VALUES
                (1, 1, 'Firing', 'LoginFailed', 'acc-1', {old}, {old}), (2, 2, 'Firing', 'LoginFailed', 'acc-2', {old}, {old}),
                (3, 3, 'Firing', 'Restricted', 'acc-3', {old}, {old}), (4, 4, 'Firing', 'LoginFailed', 'acc-4', {recent}, {recent});
            INSERT INTO AlertDeliveries (MessageId, Channel, AccountKey, Status, Attempts, CreatedAt, NextAttemptAt, DeliveredAt) VALUES
                (1, 'hook', 'acc-1', 'Delivered', 1, {old}, {old}, {old}), (2, 'hook', 'acc-2', 'Pending', 900, {old}, {recent}, NULL),
                (3, 'hook', 'acc-3', 'Delivered', 1, {old}, {old}, {old}), (4, 'hook', 'acc-4', 'Delivered', 1, {recent}, {recent}, {recent});
            INSERT INTO AlertRejectionCounts (Minute, Count) VALUES ({old}, 3), ({recent}, 2);
            SELECT 0
            """);

        var report = await app.Services.GetRequiredService<EventRetention>().RunOnceAsync(CancellationToken.None);

        Assert.True(report.OtherRows >= 6, $"{report.OtherRows} rows deleted");
        Assert.Equal("2,3,4", SignedEvents.Scalar<string>(folder.Database, "SELECT group_concat(Id) FROM (SELECT Id FROM Alerts ORDER BY Id) AS a"));
        Assert.Equal("2,4", SignedEvents.Scalar<string>(folder.Database, "SELECT group_concat(Id) FROM (SELECT Id FROM AlertMessages ORDER BY Id) AS a"));
        Assert.Equal("2,4", SignedEvents.Scalar<string>(folder.Database, "SELECT group_concat(MessageId) FROM (SELECT MessageId FROM AlertDeliveries ORDER BY MessageId) AS a"));
        Assert.Equal((1L, recent), (SignedEvents.Scalar<long>(folder.Database, "SELECT COUNT(*) FROM AlertRejectionCounts"),
            SignedEvents.Scalar<long>(folder.Database, "SELECT MIN(Minute) FROM AlertRejectionCounts")));
    }

    [Fact]
    public void CutoffFor_RoundsDownToTheHour_SoHourlyCountersGoWithTheirEvents()
    {
        var now = new DateTimeOffset(2026, 3, 1, 10, 42, 17, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2025, 12, 1, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), EventRetention.CutoffFor(now, 90));
    }

    private static async Task SendAllAsync(HttpClient http, IReadOnlyList<SignedEvent> events)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < events.Count)
            {
                using var answer = await http.PostAsync(events[i].Path, events[i].Content());
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }
        })));
    }
}
