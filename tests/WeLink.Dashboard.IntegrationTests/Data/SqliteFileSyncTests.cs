using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.IntegrationTests.Data;

/// <summary>
/// The checkpointer syncs the pages its passes copied through SQLite's own handle of the database file
/// (<c>xSync</c>, found with <c>SQLITE_FCNTL_FILE_POINTER</c>). The call goes into SQLite's method table by
/// position, so these tests hold it to what it must do: sync, and leave the file exactly as it was.
/// </summary>
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class SqliteFileSyncTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("welink-filesync-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void TrySyncMainFile_AfterACheckpointCopiedPages_SyncsAndLeavesTheFileAsItWas()
    {
        var path = Path.Combine(_directory, "sync.db");
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        SqliteFile.Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
        using (var transaction = connection.BeginTransaction())
        {
            for (var i = 0; i < 2_000; i++) SqliteFile.Execute(connection, $"INSERT INTO t (body) VALUES ('{new string((char)('a' + i % 26), 500)}')");
            transaction.Commit();
        }
        // The checkpoint copies the log's pages into the file: there is something to sync.
        SqliteFile.Execute(connection, "PRAGMA wal_checkpoint(PASSIVE)");
        var before = Fingerprint(path);

        Assert.True(SqliteFileSync.TrySyncMainFile(connection));

        // Same length and bytes (a call landing on xTruncate or xWrite instead would change them), and SQLite still reads it whole.
        Assert.Equal(before, Fingerprint(path));
        Assert.Equal(2_000L, SqliteFile.Scalar(connection, "SELECT COUNT(*) FROM t"));
        Assert.Equal("ok", SqliteFile.Scalar(connection, "PRAGMA integrity_check"));
        SqliteFile.Execute(connection, "INSERT INTO t (body) VALUES ('after')");
        Assert.Equal(2_001L, SqliteFile.Scalar(connection, "SELECT COUNT(*) FROM t"));
    }

    [Fact]
    public void TrySyncMainFile_ConnectionNotOpen_DoesNothing()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "closed.db")};Pooling=False");

        Assert.False(SqliteFileSync.TrySyncMainFile(connection));
        Assert.False(File.Exists(Path.Combine(_directory, "closed.db")));
    }

    private static (long Length, string Sha256) Fingerprint(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return (bytes.Length, Convert.ToHexString(SHA256.HashData(bytes)));
    }
}
