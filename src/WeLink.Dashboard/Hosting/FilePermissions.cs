using System.Runtime.InteropServices;

namespace WeLink.Dashboard.Hosting;

/// <summary>
/// The database and its search index's file, their WAL and shared-memory files, the logs and the data-protection keys hold fleet data
/// and session keys: on Unix they are readable by the dashboard's user only (0600, folders 0700).
/// SQLite and Serilog create files with the process's umask, so the umask is narrowed at start;
/// files left by an earlier version are tightened too.
/// </summary>
public static partial class FilePermissions
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void RestrictNewFiles()
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            // Group and others lose every permission on files and folders created from now on.
            Umask(0b000_111_111);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc to call (unusual runtime): existing files are still tightened below.
        }
    }

    /// <summary>Tightens the database's files (and its keys and logs folders) left with wider permissions.</summary>
    public static void RestrictExisting(string connectionString, IEnumerable<string> logFiles)
    {
        if (OperatingSystem.IsWindows()) return;
        var database = Data.DatabaseFiles.FilePath(connectionString);
        var files = new List<string>();
        if (Path.IsPathRooted(database))
        {
            var search = Data.SearchIndexFile.PathFor(database);
            files.AddRange([database, database + "-wal", database + "-shm", search, search + "-wal", search + "-shm"]);
            var keys = Path.Combine(Path.GetDirectoryName(database)!, "keys");
            if (Directory.Exists(keys)) files.AddRange(Directory.EnumerateFiles(keys));
        }
        files.AddRange(logFiles);
        foreach (var file in files)
        {
            try
            {
                if (File.Exists(file) && (File.GetUnixFileMode(file) & ~OwnerOnly) != 0) File.SetUnixFileMode(file, OwnerOnly);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Someone else's file: leave it; the app reads it as before.
            }
        }
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
}
