using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.IntegrationTests.Data;

/// <summary>
/// SQLite's process-wide settings (<see cref="SqliteStartup"/>), applied before its first use: here as in the dashboard,
/// whose module initializer runs them as its code loads.
/// </summary>
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class SqliteStartupTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("welink-startup-").FullName;

    /// <summary>As the dashboard's start does: the settings before any test of this assembly opens a connection.</summary>
    [ModuleInitializer]
    internal static void ConfigureBeforeAnyTest() => SqliteStartup.Configure();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void MemoryStatistics_AreOff_SoNoAllocationCountsIntoThem()
    {
        Assert.True(SqliteStartup.MemoryStatisticsOff, "SQLite keeps no memory statistics on Linux.");
        using var connection = SqliteFile.Open(Path.Combine(_directory, "stats.db"));
        SqliteFile.Execute(connection, "PRAGMA cache_size=-8192; CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
        using (var transaction = connection.BeginTransaction())
        {
            for (var i = 0; i < 2_000; i++) SqliteFile.Execute(connection, $"INSERT INTO t (body) VALUES ('{new string('x', 200)}{i}')");
            transaction.Commit();
        }

        // With statistics on, the open connection's cache alone (a few hundred pages) counts here.
        Assert.Equal(0L, SqliteStartup.MemoryUsed());
        Assert.Equal(2_000L, SqliteFile.Scalar(connection, "SELECT COUNT(*) FROM t"));
    }
}
