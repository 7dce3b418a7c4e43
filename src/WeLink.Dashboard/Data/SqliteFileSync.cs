using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;

namespace WeLink.Dashboard.Data;

/// <summary>
/// Makes the database file durable through SQLite's own handle of it on a connection: the file's <c>xSync</c>
/// (an <c>fdatasync</c> on Linux), found with <c>SQLITE_FCNTL_FILE_POINTER</c>. SQLite syncs the file only at the
/// end of a checkpoint that reached the log's end; <see cref="WalCheckpointer"/> uses this to sync the pages its
/// passes copied, so that the writer's own finishing checkpoint syncs only the few it copies itself. No second
/// descriptor is opened on the file: closing one would drop the process's POSIX locks on it, SQLite's included.
/// </summary>
internal static class SqliteFileSync
{
    private const int FileControlFilePointer = 7; // SQLITE_FCNTL_FILE_POINTER
    private const int SyncNormal = 0x02;          // SQLITE_SYNC_NORMAL
    private const int SyncDataOnly = 0x10;        // SQLITE_SYNC_DATAONLY: the file's size is SQLite's own business (fdatasync)

    /// <summary><c>xSync</c>'s place in <c>sqlite3_io_methods</c>: after <c>iVersion</c> (padded to a pointer), <c>xClose</c>, <c>xRead</c>, <c>xWrite</c> and <c>xTruncate</c>.</summary>
    private static readonly int XSyncOffset = IntPtr.Size * 5;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int XSync(IntPtr file, int flags);

    // The library Microsoft.Data.Sqlite's bundle loads (SQLitePCLRaw's e_sqlite3), which has no binding for file_control.
    [DllImport("e_sqlite3", EntryPoint = "sqlite3_file_control")]
    internal static extern int FileControl(IntPtr db, byte[] databaseName, int op, out IntPtr argument);

    /// <summary>The main database's schema name, as <see cref="FileControl"/> takes it.</summary>
    internal static readonly byte[] Main = "main\0"u8.ToArray();

    private const int Interrupted = 4; // EINTR

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int FdataSync(int descriptor);

    /// <summary>
    /// Makes what was written to <paramref name="file"/> durable (<c>fdatasync</c>, as SQLite's own sync of its log on
    /// Linux): its data, and its size when that grew. Linux only; throws <see cref="IOException"/> when the kernel
    /// could not write it. Safe beside writes to the same file from another descriptor or thread: what was written
    /// before the call began is on disk when it returns.
    /// </summary>
    public static void SyncData(SafeFileHandle file)
    {
        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            var descriptor = (int)file.DangerousGetHandle();
            while (FdataSync(descriptor) != 0)
            {
                // Interrupted by a signal before it finished: asked again, as SQLite does.
                if (Marshal.GetLastPInvokeError() is var errno && errno != Interrupted) throw new IOException($"fdatasync failed (errno {errno}).");
            }
        }
        finally
        {
            if (added) file.DangerousRelease();
        }
    }

    /// <summary>
    /// Syncs the connection's main database file; false when SQLite gave no open file or the native call is not
    /// there (another SQLite library), in which case nothing was done. The connection must be open and idle.
    /// </summary>
    public static bool TrySyncMainFile(SqliteConnection connection)
    {
        if (connection.Handle is not { } handle) return false;
        try
        {
            if (FileControl(handle.DangerousGetHandle(), Main, FileControlFilePointer, out var file) != 0 || file == IntPtr.Zero) return false;
            var methods = Marshal.ReadIntPtr(file);
            if (methods == IntPtr.Zero) return false; // the file is not open
            var sync = Marshal.GetDelegateForFunctionPointer<XSync>(Marshal.ReadIntPtr(methods, XSyncOffset));
            return sync(file, SyncNormal | SyncDataOnly) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
