using Microsoft.Data.Sqlite;

namespace WeLink.Testing;

/// <summary>A temporary folder on the real disk for one test's database and logs; removed on dispose.</summary>
public sealed class TestDirectory : IDisposable
{
    public TestDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "welink-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Where the dashboard's SQLite file goes (the name <see cref="DashboardApp"/> uses too).</summary>
    public string Database => System.IO.Path.Combine(Path, "dashboard.db");

    public string Logs => System.IO.Path.Combine(Path, "logs");

    public void Dispose()
    {
        // Pooled connections keep the file open and the folder from being removed.
        SqliteConnection.ClearAllPools();
        // In the PostgreSQL pass, the databases that stood in for this folder's files go with it.
        TestStore.Release(Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be closing; the temp folder is cleaned by the OS.
        }
    }
}
