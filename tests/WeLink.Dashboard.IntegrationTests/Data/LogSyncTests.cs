using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.IntegrationTests.Data;

/// <summary>
/// On SQLite the writer commits a batch without waiting for the disk, and a thread of its own syncs the write-ahead log:
/// a webhook is answered 200, and its change published, only once a sync that began after its commit has returned.
/// The hook on the sync thread holds or fails that sync, on a real file behind the real Kestrel server.
/// </summary>
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class LogSyncTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private readonly DashboardApp _app = DashboardApp.StartInTempDirectory();

    public void Dispose() => _app.Dispose();

    private DashboardWriter Writer => _app.Services.GetRequiredService<DashboardWriter>();

    private static string Event(string requestId) => $$$"""{"status":"SUCCESS","request_id":"{{{requestId}}}","result":{"profile_id":"ACoZ"}}""";

    private long Stored(string requestId) => _app.Scalar<long>("SELECT COUNT(*) FROM Events WHERE RequestId = $r", ("$r", requestId));

    [Fact]
    public async Task Webhook_CommittedWhileTheLogsSyncIsHeld_AnsweredAndPublishedOnlyAfterTheSync()
    {
        var published = new ConcurrentQueue<LiveChange>();
        using var subscription = _app.Services.GetRequiredService<LiveFeed>().Subscribe(published.Enqueue);
        using var release = new ManualResetEventSlim(false);
        var held = 0;
        Writer.BeforeLogSync = () =>
        {
            Interlocked.Increment(ref held);
            release.Wait(TimeSpan.FromSeconds(60));
        };
        try
        {
            var post = _app.PostSignedWebhookAsync(Event("held-1"), "/webhooks/welink?account=acc-sync");

            // Committed: another connection reads the row from the file, while the sync that would make it durable waits.
            await Poll.UntilAsync(() => Task.FromResult(Stored("held-1")), n => n == 1, Limit, "the event committed");
            await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref held)), n => n > 0, Limit, "the log's sync begun");
            Assert.False(post.IsCompleted, "the webhook was answered before the log holding it was synced");
            Assert.DoesNotContain(published, c => (c.AccountId ?? c.Event?.AccountId) == "acc-sync");

            release.Set();
            Assert.Equal(HttpStatusCode.OK, (await post.WaitAsync(Limit)).StatusCode);
            await Poll.UntilAsync(() => Task.FromResult(published.Count(c => (c.AccountId ?? c.Event?.AccountId) == "acc-sync")), n => n > 0, Limit, "the event's live change");
        }
        finally
        {
            release.Set();
            Writer.BeforeLogSync = null;
        }
    }

    [Fact]
    public async Task LogSyncFails_CallersToldUnavailable_ThenTheWriterGoesOnAndTheRedeliveryIsADuplicate()
    {
        // Every sync fails until the webhook is answered (the writer's timers may sync batches of their own meanwhile).
        var failing = 1;
        Writer.BeforeLogSync = () =>
        {
            if (Volatile.Read(ref failing) == 1) throw new IOException("fdatasync failed (errno 5).");
        };
        try
        {
            // Its batch is committed but may not survive a power cut: its caller gets 503, and We-Link redelivers.
            var first = await _app.PostSignedWebhookAsync(Event("sync-fail-1"), "/webhooks/welink?account=acc-sync");
            Volatile.Write(ref failing, 0);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);

            // The writer opened a new session and syncs again: the next event is stored and answered; the redelivery
            // of the first finds it stored and is answered 200 without a second row.
            Assert.Equal(HttpStatusCode.OK, (await _app.PostSignedWebhookAsync(Event("sync-fail-2"), "/webhooks/welink?account=acc-sync")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await _app.PostSignedWebhookAsync(Event("sync-fail-1"), "/webhooks/welink?account=acc-sync")).StatusCode);
            Assert.Equal(1, Stored("sync-fail-1"));
            Assert.Equal(1, Stored("sync-fail-2"));
            Assert.Contains(_app.LogLines(), line => line.Contains("could not be synced", StringComparison.Ordinal));
        }
        finally
        {
            Writer.BeforeLogSync = null;
        }
    }

    [Fact]
    public async Task WritersSession_OnLinux_SyncsTheLogApart_ManyWebhooksAtOnceAllStoredAndAnswered()
    {
        var syncs = 0;
        Writer.BeforeLogSync = () => Interlocked.Increment(ref syncs);
        try
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
                _app.PostSignedWebhookAsync(Event($"burst-{i}"), "/webhooks/welink?account=acc-sync")));

            Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
            Assert.Equal(64, _app.Scalar<long>("SELECT COUNT(*) FROM Events WHERE RequestId LIKE 'burst-%'"));
            // Every answer waited for a sync on the log's own thread (one sync answers every batch committed before it).
            Assert.InRange(Volatile.Read(ref syncs), 1, 64);
        }
        finally
        {
            Writer.BeforeLogSync = null;
        }
    }

    [Fact]
    public void WriteSession_OpenedForTheWriter_SyncsItsLogApart_OtherSessionsSyncEachCommit()
    {
        using var dir = new TestDirectory();
        var database = new DashboardDatabase($"Data Source={Path.Combine(dir.Path, "apart.db")};Pooling=False");
        using (var setup = WriteSession.Open(database, TimeProvider.System))
        {
            Assert.False(setup.SyncsLogApart);
            Assert.Equal(2, setup.Scalar<long>("PRAGMA synchronous")); // FULL: the commit syncs the log
        }
        using var writer = WriteSession.Open(database, TimeProvider.System, syncLogApart: true);

        Assert.Equal(OperatingSystem.IsLinux(), writer.SyncsLogApart);
        // NORMAL only where the session syncs the log itself; elsewhere FULL as every other session.
        Assert.Equal(writer.SyncsLogApart ? 1 : 2, writer.Scalar<long>("PRAGMA synchronous"));
        writer.SyncLog();
    }
}
