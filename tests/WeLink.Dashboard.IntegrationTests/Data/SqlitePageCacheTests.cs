using Microsoft.Data.Sqlite;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.IntegrationTests.Data;

/// <summary>
/// The page cache the dashboard installs in SQLite (<see cref="SqlitePageCache"/>): a b-tree page split that swaps two
/// pages through the temporary page number must not leave every later transaction's end walking the whole cache, and
/// the cache must still hand SQLite the pages it wrote, after commits and after rollbacks that shrink the file. Real
/// files, a writer with the writer's 32 MiB cache, readers on their own connections.
/// </summary>
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class SqlitePageCacheTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("welink-pagecache-").FullName;

    public SqlitePageCacheTests() => Assert.True(SqlitePageCache.Active, "The page cache is installed on Linux before SQLite's first use (SqliteStartupTests.ConfigureBeforeAnyTest).");

    public void Dispose()
    {
        SqlitePageCache.KeepRaisedOnThisThread = false;
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void PageSplits_DoNotMakeTransactionEndsWalkTheWholeCache()
    {
        var (swaps, walks) = RandomKeyCommits(Path.Combine(_directory, "kept.db"), keepRaised: false);

        Assert.True(swaps >= 20, $"The random keys split index pages with a swap {swaps} times");
        Assert.Equal(0, walks);
    }

    [Fact]
    public void WithTheDefaultCachesBehaviour_TheSameCommitsWalkTheWholeCache()
    {
        // What the page cache removes: the same workload with the swap's page number left raised, as SQLite's default does.
        var (swaps, walks) = RandomKeyCommits(Path.Combine(_directory, "raised.db"), keepRaised: true);

        Assert.True(swaps >= 20, $"The random keys split index pages with a swap {swaps} times");
        Assert.True(walks >= 20, $"Transaction ends walked the whole cache {walks} times");
    }

    [Fact]
    public void RolledBackGrowth_DropsItsPages_AndLaterCommitsReadBackWhole()
    {
        var path = Path.Combine(_directory, "rollback.db");
        using var writer = OpenWriter(path);
        Commit(writer, 0, 3_000);
        var sizeBefore = (long)SqliteFile.Scalar(writer, "PRAGMA page_count")!;

        // A transaction that grows the file by splitting pages (swaps among them), then rolls back: the pages past the
        // file's old end must leave the cache, or the next transaction would read them as the database's.
        var swapsBefore = SqlitePageCache.SwapsOnThisThread;
        using (var transaction = writer.BeginTransaction())
        {
            Insert(writer, 3_000, 8_000);
            Assert.True((long)SqliteFile.Scalar(writer, "PRAGMA page_count")! > sizeBefore + 50);
            transaction.Rollback();
        }
        Assert.True(SqlitePageCache.SwapsOnThisThread > swapsBefore, "The rolled-back transaction swapped pages");
        Assert.Equal(sizeBefore, (long)SqliteFile.Scalar(writer, "PRAGMA page_count")!);

        Commit(writer, 10_000, 3_000);

        using var reader = SqliteFile.Open(path);
        Assert.Equal(6_000L, SqliteFile.Scalar(reader, "SELECT COUNT(*) FROM t"));
        Assert.Equal(0L, SqliteFile.Scalar(reader, "SELECT COUNT(*) FROM t WHERE n >= 3000 AND n < 10000"));
        Assert.Equal(Key(12_345), SqliteFile.Scalar(reader, "SELECT k FROM t INDEXED BY t_k WHERE k = '" + Key(12_345) + "'"));
        Assert.Equal(6_000L, SqliteFile.Scalar(writer, "SELECT COUNT(*) FROM t INDEXED BY t_k WHERE k > ''"));
        Assert.Equal("ok", SqliteFile.Scalar(reader, "PRAGMA integrity_check"));
    }

    /// <summary>300 commits of 20 rows with random index keys on one writer; the swaps and whole-cache walks they made.</summary>
    private (long Swaps, long Walks) RandomKeyCommits(string path, bool keepRaised)
    {
        using var writer = OpenWriter(path);
        // A cache of thousands of pages, as the writer's, so that the index is read once and stays.
        Commit(writer, 0, 2_000);
        SqlitePageCache.KeepRaisedOnThisThread = keepRaised;
        var swaps = SqlitePageCache.SwapsOnThisThread;
        var walks = SqlitePageCache.FullWalksOnThisThread;
        for (var i = 0; i < 300; i++) Commit(writer, 2_000 + i * 20, 20);
        var result = (SqlitePageCache.SwapsOnThisThread - swaps, SqlitePageCache.FullWalksOnThisThread - walks);
        SqlitePageCache.KeepRaisedOnThisThread = false;

        using var reader = SqliteFile.Open(path);
        Assert.Equal(8_000L, SqliteFile.Scalar(reader, "SELECT COUNT(*) FROM t"));
        Assert.Equal(Key(7_777), SqliteFile.Scalar(reader, "SELECT k FROM t INDEXED BY t_k WHERE k = '" + Key(7_777) + "'"));
        Assert.Equal("ok", SqliteFile.Scalar(reader, "PRAGMA integrity_check"));
        return result;
    }

    private static SqliteConnection OpenWriter(string path)
    {
        var writer = SqliteFile.Open(path);
        SqliteFile.Execute(writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;");
        SqliteFile.Execute(writer, "CREATE TABLE IF NOT EXISTS t (n INTEGER PRIMARY KEY, k TEXT NOT NULL, body TEXT NOT NULL); CREATE INDEX IF NOT EXISTS t_k ON t (k);");
        return writer;
    }

    private static void Commit(SqliteConnection writer, int first, int count)
    {
        using var transaction = writer.BeginTransaction();
        Insert(writer, first, count);
        transaction.Commit();
    }

    private static void Insert(SqliteConnection writer, int first, int count)
    {
        using var command = writer.CreateCommand();
        command.CommandText = "INSERT INTO t (n, k, body) VALUES ($n, $k, $body)";
        var n = command.Parameters.Add("$n", SqliteType.Integer);
        var k = command.Parameters.Add("$k", SqliteType.Text);
        var body = command.Parameters.Add("$body", SqliteType.Text);
        for (var i = first; i < first + count; i++)
        {
            n.Value = i;
            k.Value = Key(i);
            body.Value = new string('b', 300);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>A key that lands anywhere in the index (its order unrelated to <paramref name="i"/>), as a digest does.</summary>
    private static string Key(int i) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)));
}
