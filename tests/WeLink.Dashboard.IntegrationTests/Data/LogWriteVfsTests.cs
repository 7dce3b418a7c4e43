using Microsoft.Data.Sqlite;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.IntegrationTests.Data;

/// <summary>
/// The writer's file system (<see cref="LogWriteVfs"/>) gathers a transaction's log writes and hands them to SQLite's own
/// in a few large writes. These tests hold it to what SQLite needs of a log: every commit in the file before a reader can
/// see it, rollbacks and pages spilled before the commit read back as written, and a file SQLite finds whole afterwards.
/// Real files; the readers use SQLite's default file system, as the dashboard's pages do.
/// </summary>
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class LogWriteVfsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("welink-logvfs-").FullName;

    public LogWriteVfsTests() => Assert.True(LogWriteVfs.EnsureRegistered(), "The log's file system registers on Linux.");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void LargeTransaction_IsWrittenInAFewWrites_AndReadWholeByAnotherConnection()
    {
        var path = Path.Combine(_directory, "large.db");
        using var writer = OpenWriter(path);
        using (var transaction = writer.BeginTransaction())
        {
            for (var i = 0; i < 2_000; i++) SqliteFile.Execute(writer, $"INSERT INTO t (body) VALUES ('{Body(i)}')");
            transaction.Commit();
        }

        // About 300 pages of 4 KiB: SQLite asked for two writes a page (frame header, then page), which became one per
        // megabyte gathered, cut in pieces of MaxWriteBytes.
        var (taken, made, _) = LogWriteVfs.LogWrites(writer) ?? throw new Xunit.Sdk.XunitException("The writer's log is not on the log's file system.");
        Assert.True(taken >= 500, $"SQLite wrote the log {taken} times");
        Assert.InRange(made, 1, taken / 20);

        using var reader = SqliteFile.Open(path);
        Assert.Equal(2_000L, SqliteFile.Scalar(reader, "SELECT COUNT(*) FROM t"));
        Assert.Equal(Body(1_999), SqliteFile.Scalar(reader, "SELECT body FROM t WHERE id = 2000"));
        Assert.Equal("ok", SqliteFile.Scalar(reader, "PRAGMA integrity_check"));
    }

    [Fact]
    public void EveryCommit_IsInTheLogBeforeAReaderSeesIt()
    {
        var path = Path.Combine(_directory, "commits.db");
        using var writer = OpenWriter(path);
        SqliteFile.Execute(writer, "CREATE TABLE total (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO total VALUES (1, 0)");
        using var reader = SqliteFile.Open(path);
        for (var i = 1; i <= 300; i++)
        {
            using (var transaction = writer.BeginTransaction())
            {
                SqliteFile.Execute(writer, $"INSERT INTO t (body) VALUES ('{Body(i)}')");
                SqliteFile.Execute(writer, "UPDATE total SET n = n + 1 WHERE id = 1");
                transaction.Commit();
            }
            // A reader that found the commit in the log's index but not its pages in the file would see old or torn pages.
            Assert.Equal((long)i, SqliteFile.Scalar(reader, "SELECT COUNT(*) FROM t"));
            Assert.Equal((long)i, SqliteFile.Scalar(reader, "SELECT n FROM total"));
            Assert.Equal(Body(i), SqliteFile.Scalar(reader, "SELECT body FROM t ORDER BY id DESC LIMIT 1"));
        }
        var (taken, made, _) = LogWriteVfs.LogWrites(writer)!.Value;
        Assert.InRange(made, 300, taken / 2);
        Assert.Equal("ok", SqliteFile.Scalar(reader, "PRAGMA integrity_check"));
    }

    [Fact]
    public void SpilledAndRolledBackTransactions_ReadBackAsWritten_AndLeaveTheFileWhole()
    {
        var path = Path.Combine(_directory, "spill.db");
        using (var writer = OpenWriter(path))
        {
            // A cache of 20 pages: a large transaction writes pages into the log before its commit and reads them back from it.
            SqliteFile.Execute(writer, "PRAGMA cache_size=20");
            using (var transaction = writer.BeginTransaction())
            {
                for (var i = 0; i < 1_500; i++) SqliteFile.Execute(writer, $"INSERT INTO t (body) VALUES ('{Body(i)}')");
                Assert.Equal(1_500L, SqliteFile.Scalar(writer, "SELECT COUNT(*) FROM t"));
                transaction.Rollback();
            }
            Assert.Equal(0L, SqliteFile.Scalar(writer, "SELECT COUNT(*) FROM t"));

            using (var transaction = writer.BeginTransaction())
            {
                for (var i = 0; i < 1_000; i++) SqliteFile.Execute(writer, $"INSERT INTO t (body) VALUES ('{Body(i)}')");
                SqliteFile.Execute(writer, "SAVEPOINT part");
                for (var i = 0; i < 1_000; i++) SqliteFile.Execute(writer, $"INSERT INTO t (body) VALUES ('{Body(i + 5_000)}')");
                SqliteFile.Execute(writer, "ROLLBACK TO part; RELEASE part");
                SqliteFile.Execute(writer, "UPDATE t SET body = 'changed ' || id WHERE id % 7 = 0");
                transaction.Commit();
            }
            Assert.Equal(1_000L, SqliteFile.Scalar(writer, "SELECT COUNT(*) FROM t"));

            // The log starts over after a full checkpoint, and is cut back (the writer's journal_size_limit): written again from its start.
            SqliteFile.Execute(writer, "PRAGMA journal_size_limit=65536");
            Assert.Equal(0L, SqliteFile.Scalar(writer, "PRAGMA wal_checkpoint(TRUNCATE)"));
            for (var i = 0; i < 50; i++) SqliteFile.Execute(writer, $"INSERT INTO t (body) VALUES ('{Body(i + 9_000)}')");
        }

        using var reader = SqliteFile.Open(path);
        Assert.Equal(1_050L, SqliteFile.Scalar(reader, "SELECT COUNT(*) FROM t"));
        Assert.Equal(142L, SqliteFile.Scalar(reader, "SELECT COUNT(*) FROM t WHERE body LIKE 'changed %'"));
        Assert.Equal(0L, SqliteFile.Scalar(reader, $"SELECT COUNT(*) FROM t WHERE body = '{Body(5_000)}'"));
        Assert.Equal(Body(9_049), SqliteFile.Scalar(reader, "SELECT body FROM t ORDER BY id DESC LIMIT 1"));
        Assert.Equal("ok", SqliteFile.Scalar(reader, "PRAGMA integrity_check"));
    }

    [Fact]
    public void RolledBackTransaction_ThenAnotherConnectionCommits_WhatItSpilledNeverLandsOnTheOthersFrames()
    {
        var path = Path.Combine(_directory, "two-writers.db");
        using var first = OpenWriter(path);
        using var second = OpenWriter(path);
        // A 10-page cache: the first writer's transaction spills pages into the log (gathered, not yet written) and rolls
        // back. The log starts empty, so the rollback reads its pages back from the database file, not from the log.
        SqliteFile.Execute(first, "PRAGMA cache_size=10");
        Assert.Equal(0L, SqliteFile.Scalar(first, "PRAGMA wal_checkpoint(TRUNCATE)"));
        using (var transaction = first.BeginTransaction())
        {
            for (var i = 0; i < 400; i++) SqliteFile.Execute(first, $"INSERT INTO t (body) VALUES ('{Body(i)}')");
            Assert.True(LogWriteVfs.LogWrites(first)!.Value.Pending > 0, "the spilled pages are gathered");
            transaction.Rollback();
        }
        Assert.Equal(0, LogWriteVfs.LogWrites(first)!.Value.Pending);
        // The second writes the log where the rolled-back frames were, and commits.
        using (var transaction = second.BeginTransaction())
        {
            for (var i = 0; i < 300; i++) SqliteFile.Execute(second, $"INSERT INTO t (body) VALUES ('{Body(i + 1_000)}')");
            transaction.Commit();
        }

        // The first reads the log again (any call on it would have written what it still held), then writes on.
        Assert.Equal(300L, SqliteFile.Scalar(first, "SELECT COUNT(*) FROM t"));
        Assert.Equal(Body(1_299), SqliteFile.Scalar(first, "SELECT body FROM t ORDER BY id DESC LIMIT 1"));
        SqliteFile.Execute(first, $"INSERT INTO t (body) VALUES ('{Body(2_000)}')");

        using var reader = SqliteFile.Open(path);
        Assert.Equal(301L, SqliteFile.Scalar(reader, "SELECT COUNT(*) FROM t"));
        Assert.Equal(0L, SqliteFile.Scalar(reader, $"SELECT COUNT(*) FROM t WHERE body = '{Body(0)}'"));
        Assert.Equal("ok", SqliteFile.Scalar(reader, "PRAGMA integrity_check"));
    }

    [Fact]
    public void TheWritersSession_WritesItsLogThroughIt()
    {
        var database = new DashboardDatabase($"Data Source={Path.Combine(_directory, "writer.db")};Pooling=False");
        using var session = WriteSession.Open(database, TimeProvider.System, syncLogApart: true);

        Assert.Equal(1, session.ApplyAll([new InsertRows(500)]));

        var (taken, made) = session.LogWrites ?? throw new Xunit.Sdk.XunitException("The writer's session is not on the log's file system.");
        Assert.InRange(made, 1, taken / 10);
    }

    [Fact]
    public void TheSearchIndexConnection_WritesItsLogThroughIt()
    {
        var connectionString = $"Data Source={Path.Combine(_directory, "dashboard.db")};Pooling=False";
        using var index = SearchIndexFile.OpenForIndexing(connectionString);
        using (var transaction = index.BeginTransaction())
        {
            SqliteFile.Execute(index, "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
            for (var i = 0; i < 500; i++) SqliteFile.Execute(index, $"INSERT INTO t (body) VALUES ('{Body(i)}')");
            transaction.Commit();
        }

        var (taken, made, _) = LogWriteVfs.LogWrites(index) ?? throw new Xunit.Sdk.XunitException("The search index's log is not on the log's file system.");
        Assert.InRange(made, 1, taken / 10);
    }

    private sealed class InsertRows(int count) : WriteOperation<int>
    {
        public override int Apply(WriteSession session)
        {
            session.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
            for (var i = 0; i < count; i++) session.Execute("INSERT INTO t (body) VALUES ($b)", ("$b", Body(i)));
            return count;
        }
    }

    [Fact]
    public void LogWrites_ConnectionOnTheDefaultFileSystem_IsNull()
    {
        using var reader = SqliteFile.Open(Path.Combine(_directory, "default.db"));
        SqliteFile.Execute(reader, "PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER PRIMARY KEY)");

        Assert.Null(LogWriteVfs.LogWrites(reader));
    }

    private static SqliteConnection OpenWriter(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Vfs = LogWriteVfs.Name }.ToString());
        connection.Open();
        SqliteFile.Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; PRAGMA synchronous=NORMAL; CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT)");
        return connection;
    }

    private static string Body(int i) => $"{i:D6}-{new string((char)('a' + i % 26), 500)}";
}
