using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace WeLink.Dashboard.Data;

/// <summary>
/// SQLite's process-wide settings, which it takes only before its first use: applied as the dashboard's code is loaded
/// (a module initializer), before anything in it can have opened a connection. On Linux on 64 bits; elsewhere SQLite
/// keeps its defaults.
/// <list type="bullet">
/// <item><b>No memory statistics</b> (<c>SQLITE_CONFIG_MEMSTATUS</c> off, as SQLite's own list of recommended options
/// has it). With them on, every allocation and free of every connection takes one mutex for the whole process and
/// measures the block, to keep a total the dashboard never reads (it sets no heap limit, which would need it). The
/// writer, the search index, the checkpointer and the pages' readers all allocate at once, so they waited on each other
/// there (BENCHMARKS.md, twenty-fourth look).</item>
/// <item><b>The page cache that forgets a page swap</b> (<see cref="SqlitePageCache"/>).</item>
/// </list>
/// </summary>
internal static class SqliteStartup
{
    private const int Ok = 0;
    private const int ConfigMemStatus = 9; // SQLITE_CONFIG_MEMSTATUS

    private static readonly Lock Gate = new();
    private static bool _done;

    /// <summary>Whether SQLite keeps no memory statistics in this process.</summary>
    public static bool MemoryStatisticsOff { get; private set; }

    [ModuleInitializer]
    internal static void AtLoad() => Configure();

    /// <summary>Applies the settings once (a later call, or one after SQLite's first use, changes nothing).</summary>
    public static void Configure()
    {
        lock (Gate)
        {
            if (_done) return;
            _done = true;
            if (!OperatingSystem.IsLinux() || IntPtr.Size != 8) return;
            try
            {
                // Microsoft.Data.Sqlite picks the native library in its static constructor (without initializing SQLite).
                RuntimeHelpers.RunClassConstructor(typeof(SqliteConnection).TypeHandle);
                // Refused (SQLITE_MISUSE) once SQLite has been initialized: it then keeps its statistics.
                MemoryStatisticsOff = sqlite3_config(ConfigMemStatus, 0) == Ok;
                // Last: its check initializes SQLite.
                SqlitePageCache.Install();
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
            }
        }
    }

    /// <summary>The bytes SQLite's allocations hold now, as its statistics count them (0 with them off).</summary>
    internal static long MemoryUsed() => sqlite3_memory_used();

    // sqlite3_config takes its argument after "..."; on Linux (x86-64, arm64) an int passes the same way either side of it.
    [DllImport("e_sqlite3")]
    private static extern int sqlite3_config(int option, int value);

    [DllImport("e_sqlite3")]
    private static extern long sqlite3_memory_used();
}
