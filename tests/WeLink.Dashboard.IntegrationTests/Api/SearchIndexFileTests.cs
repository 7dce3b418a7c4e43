using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Events;

namespace WeLink.Dashboard.IntegrationTests.Api;

/// <summary>
/// The search index in its own file (<see cref="SearchIndexFile"/>), over the real server and files: written without
/// the dashboard's writer, emptied of what retention deletes, and made again when it cannot be trusted. The
/// background indexer is removed, so each test decides when the index catches up.
/// </summary>
// SQLite only: PostgreSQL's trigram index is on the events themselves.
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class SearchIndexFileTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly List<DashboardApp> _apps = [];

    public void Dispose()
    {
        foreach (var app in _apps) app.Dispose();
        _dir.Dispose();
    }

    private DashboardApp Start()
    {
        var app = DashboardApp.Start(_dir.Path, services: services =>
            services.Remove(services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(EventSearchIndexer))));
        _apps.Add(app);
        return app;
    }

    private void Stop(DashboardApp app)
    {
        app.Dispose();
        _apps.Remove(app);
        SqliteConnection.ClearAllPools();
    }

    private static int CatchUp(DashboardApp app)
    {
        using var indexer = ActivatorUtilities.CreateInstance<EventSearchIndexer>(app.Services);
        return indexer.CatchUp();
    }

    /// <summary>A dashboard started, one event stored and indexed, the dashboard stopped.</summary>
    private async Task IndexOneEventThenStopAsync(string requestId, string message)
    {
        var app = Start();
        await PostAsync(app, requestId, message);
        Assert.Equal(1, CatchUp(app));
        Stop(app);
    }

    private static async Task PostAsync(DashboardApp app, string requestId, string message) =>
        Assert.Equal(HttpStatusCode.OK, (await app.PostSignedWebhookAsync(
            $$"""{"status":"FAILED","request_id":"{{requestId}}","error":"PROXY_ERROR","message":"{{message}}"}""",
            "/webhooks/welink/MESSAGE_FAILED?account=acc-1")).StatusCode);

    private static async Task<List<string>> FoundAsync(DashboardApp app, string text)
    {
        var json = await app.Http.GetStringAsync($"/api/events?q={Uri.EscapeDataString(text)}");
        return [.. JsonDocument.Parse(json).RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("requestId").GetString()!)];
    }

    private long IndexedCount(DashboardApp app) => app.SearchIndexScalar<long>("SELECT COUNT(*) FROM EventSearch");

    [Fact]
    public async Task Indexing_WhileTheWriterIsHeld_GoesOnInTheIndexsOwnFile()
    {
        var app = Start();
        for (var i = 0; i < 3; i++) await PostAsync(app, $"own-file-{i}", $"quokka number {i}");
        Assert.Equal(0L, app.Scalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'EventSearch'"));

        var writer = app.Services.GetRequiredService<DashboardWriter>();
        using var writerHeld = new ManualResetEventSlim();
        using var releaseWriter = new ManualResetEventSlim();
        try
        {
            var holding = writer.ExecuteAsync(new WriterHold(writerHeld, releaseWriter));
            Assert.True(writerHeld.Wait(TimeSpan.FromSeconds(20)), "the writer never took the hold");

            // No write of the dashboard's file can happen now: the index is written all the same.
            var indexed = await Task.Run(() => CatchUp(app)).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(3, indexed);
            Assert.Equal(3L, IndexedCount(app));
            Assert.False(holding.IsCompleted);
            releaseWriter.Set();
            Assert.True(await holding.WaitAsync(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            releaseWriter.Set();
        }
        Assert.Equal(["own-file-2", "own-file-1", "own-file-0"], await FoundAsync(app, "quokka"));
    }

    [Fact]
    public async Task Retention_DeletedEvents_AreTakenOutOfTheIndex()
    {
        var app = Start();
        for (var i = 0; i < 4; i++) await PostAsync(app, $"retained-{i}", $"wombat number {i}");
        Assert.Equal(4, CatchUp(app));

        // Retention's own statement, on the writer, for the two oldest events.
        var writer = app.Services.GetRequiredService<DashboardWriter>();
        Assert.Equal(2, await writer.ExecuteAsync(new DeleteOldest(2)));
        Assert.Equal(2L, app.Scalar<long>("SELECT COUNT(*) FROM EventSearchDeletions"));
        Assert.Equal(4L, IndexedCount(app));

        Assert.Equal(0, CatchUp(app));
        Assert.Equal(2L, IndexedCount(app));
        Assert.Equal(0L, app.Scalar<long>("SELECT COUNT(*) FROM EventSearchDeletions"));
        Assert.Equal(0L, app.SearchIndexScalar<long>("SELECT COUNT(*) FROM EventSearch WHERE rowid IN (1, 2)"));
        Assert.Equal(["retained-3", "retained-2"], await FoundAsync(app, "wombat"));
    }

    [Fact]
    public async Task Start_IndexAheadOfTheLog_MakesTheIndexAgain()
    {
        var app = Start();
        for (var i = 0; i < 3; i++) await PostAsync(app, $"ahead-{i}", $"numbat number {i}");
        Assert.Equal(3, CatchUp(app));
        Stop(app);

        // The log restored from a copy older than the index: its last events are not there any more.
        Assert.Equal(2, Execute(_dir.Database, "DELETE FROM Events WHERE RequestId <> 'ahead-0'"));

        app = Start();
        Assert.Equal(0L, IndexedCount(app));
        // A new event takes an id the old index held for another payload: found by what it says, and only it.
        await PostAsync(app, "after-restore", "platypus only here");
        Assert.Equal(2, CatchUp(app));
        Assert.Equal(["after-restore"], await FoundAsync(app, "platypus"));
        Assert.Equal(["ahead-0"], await FoundAsync(app, "numbat"));
    }

    [Fact]
    public async Task Start_UnreadableIndexFile_MakesItAgain()
    {
        await IndexOneEventThenStopAsync("unreadable-0", "echidna was here");

        var path = SearchIndexFile.PathFor(_dir.Database);
        foreach (var suffix in new[] { "-wal", "-shm" }) File.Delete(path + suffix);
        File.WriteAllBytes(path, System.Text.Encoding.ASCII.GetBytes(new string('x', 8192)));

        var app = Start();
        Assert.Equal(1, CatchUp(app));
        Assert.Equal(["unreadable-0"], await FoundAsync(app, "echidna"));
    }

    [Fact]
    public async Task Indexing_OneTransactionOverFTS5sDefaultBuffer_WritesOneSegment()
    {
        var app = Start();
        // One live transaction's worth of payloads, 1,000 random letters each: their index entries are several MiB,
        // over FTS5's default in-memory buffer of 1 MiB, under the index's own (SearchIndexFile.PendingBytes).
        const int count = EventSearchIndexer.BatchSize;
        var random = new Random(7);
        string Text() => new([.. Enumerable.Range(0, 1000).Select(_ => (char)('a' + random.Next(26)))]);
        var texts = Enumerable.Range(0, count).Select(_ => Text()).ToArray();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => await PostAsync(app, $"segment-{i}", texts[i]));

        Assert.Equal(count, CatchUp(app));
        Assert.Equal((long)count, IndexedCount(app));
        // Each segment has its first leaf in the index's directory (EventSearch_idx): one transaction, one segment.
        Assert.Equal(1L, app.SearchIndexScalar<long>("SELECT COUNT(DISTINCT segid) FROM EventSearch_idx"));
        Assert.Equal(["segment-17"], await FoundAsync(app, texts[17][100..130]));
    }

    [Fact]
    public async Task Start_IndexFileWithFTS5sDefaultBuffer_TakesTheIndexsOwn()
    {
        await IndexOneEventThenStopAsync("settings-0", "bilby in the grass");
        Assert.Equal((long)SearchIndexFile.PendingBytes, HashSize());

        // A file made before the setting: FTS5's default, no row in the index's settings.
        Assert.Equal(1, Execute(SearchIndexFile.PathFor(_dir.Database), "DELETE FROM EventSearch_config WHERE k = 'hashsize'"));

        var app = Start();
        Assert.Equal((long)SearchIndexFile.PendingBytes, HashSize());
        // The index was kept, not made again.
        Assert.Equal(1L, IndexedCount(app));
        Assert.Equal(["settings-0"], await FoundAsync(app, "bilby"));
    }

    [Fact]
    public async Task Prepare_IndexFileThatCannotTakeTheSetting_KeepsItsEntries()
    {
        await IndexOneEventThenStopAsync("locked-0", "quoll under the porch");
        var path = SearchIndexFile.PathFor(_dir.Database);
        Assert.Equal(1, Execute(path, "DELETE FROM EventSearch_config WHERE k = 'hashsize'"));
        var connectionString = $"Data Source={_dir.Database}";

        // Another connection holds the index file's write lock: the setting cannot be written (as on a full disk).
        using (var holder = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            holder.Open();
            using var begin = holder.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();

            Assert.False(SearchIndexFile.Prepare(connectionString, NullLogger.Instance));
            Assert.Equal(1L, TestStore.Scalar<long>(path, "SELECT COUNT(*) FROM EventSearch"));
            Assert.Equal(0L, HashSize());
        }

        // The lock gone, the next start gives it the setting, and the entries are still there.
        Assert.False(SearchIndexFile.Prepare(connectionString, NullLogger.Instance));
        Assert.Equal((long)SearchIndexFile.PendingBytes, HashSize());
        var app = Start();
        Assert.Equal(["locked-0"], await FoundAsync(app, "quoll"));
    }

    [Theory]
    [InlineData(0, EventSearchIndexer.BatchSize)]
    [InlineData(EventSearchIndexer.CatchUpBatchSize - 1, EventSearchIndexer.BatchSize)]
    [InlineData(EventSearchIndexer.CatchUpBatchSize, EventSearchIndexer.CatchUpBatchSize)]
    [InlineData(1_000_000, EventSearchIndexer.CatchUpBatchSize)]
    public void BatchFor_ABacklogAsLargeAsACatchUpBatch_IndexesInCatchUpBatches(long backlog, int expected) =>
        Assert.Equal(expected, EventSearchIndexer.BatchFor(backlog));

    /// <summary>A statement on a file no server has open; answers the rows it changed.</summary>
    private static int Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    /// <summary>The index file's <c>hashsize</c> setting, read from the file (whether a dashboard has it open or not).</summary>
    private long HashSize() => TestStore.Scalar<long>(SearchIndexFile.PathFor(_dir.Database), SearchIndexFile.PendingBytesSql);

    /// <summary>Retention's delete of the oldest events, whatever their age.</summary>
    private sealed class DeleteOldest(int count) : WriteOperation<int>
    {
        public override int Apply(WriteSession session) => session.DeleteOldestEvents(long.MaxValue, count);
    }
}
