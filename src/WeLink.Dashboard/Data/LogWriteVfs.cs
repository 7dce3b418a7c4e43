using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace WeLink.Dashboard.Data;

/// <summary>
/// A SQLite file system (<see cref="Name"/>) that writes a transaction's log pages with one system call instead of two a
/// page. SQLite writes each page of the write-ahead log as two <c>pwrite</c> calls, its 24-byte frame header and then the
/// page; a batch of webhooks commits a few hundred of them, and on this kind of host those calls were a third of the
/// writer thread's time (BENCHMARKS.md, twenty-third look). This file system is SQLite's own default one for every file,
/// except that the log's writes are gathered in memory while they run on, and handed to the default file system as one
/// write:
/// <list type="bullet">
/// <item>when a commit's last page has been written (its frame header names the database's size after the commit, which
/// no other frame header does): before SQLite publishes the commit to readers, the whole commit is in the file;</item>
/// <item>before any other use of the log (read, sync, truncate, size, file control, fetch), so SQLite never sees the log
/// otherwise than it wrote it;</item>
/// <item>when a write does not follow the last one, or the gathered bytes would pass <see cref="BufferBytes"/>.</item>
/// </list>
/// What a transaction that did not commit left gathered (pages it spilled into the log before it rolled back) is dropped
/// when it releases the log's write lock: written later, it could land on frames another connection committed meanwhile.
/// The gathered bytes go to the default file system in writes of at most <see cref="MaxWriteBytes"/> (about 31 pages), the
/// most it takes in one call.
/// What is still gathered when the log is closed or the process dies is part of a transaction that never committed, as it
/// would be with the write not yet made. Only the sessions that write use it (<see cref="WriteSession"/>, by the connection string's
/// <c>Vfs</c>); readers open the same files with SQLite's default file system and share its locks.
/// </summary>
internal static unsafe class LogWriteVfs
{
    public const string Name = "welink-log";

    /// <summary>The most a log file gathers before it writes (then a write a megabyte, about 250 pages).</summary>
    public const int BufferBytes = 1 << 20;

    /// <summary>The most the default file system writes in one call (its <c>seekAndWriteFd</c> keeps the low 17 bits of a length).</summary>
    public const int MaxWriteBytes = 0x1ffff;

    private const int Ok = 0;
    private const int NoMemory = 7;              // SQLITE_NOMEM
    private const int OpenMainDb = 0x00000100;   // SQLITE_OPEN_MAIN_DB
    private const int OpenWal = 0x00080000;      // SQLITE_OPEN_WAL
    private const int ShmUnlock = 1;             // SQLITE_SHM_UNLOCK
    private const int WalWriteLock = 0;          // WAL_WRITE_LOCK, the first of the shared-memory locks
    private const int JournalPointer = 28;       // SQLITE_FCNTL_JOURNAL_POINTER
    private const int FrameHeaderBytes = 24;     // WAL_FRAME_HDRSIZE

    private static readonly Lock Gate = new();
    private static bool _tried;
    private static Vfs* _default;
    private static int _stateOffset;

    /// <summary>Method tables made for the default file system's own ones (one for each kind of file it opens).</summary>
    private static readonly List<nint> Wrapped = [];

    /// <summary>The same, for database files.</summary>
    private static readonly List<nint> WrappedDatabases = [];

    /// <summary>
    /// Registers the file system once per process (Linux on 64 bits; elsewhere the sessions keep SQLite's default one); true
    /// when it is there to use.
    /// </summary>
    public static bool EnsureRegistered()
    {
        lock (Gate)
        {
            if (_tried) return _default is not null;
            _tried = true;
            if (!OperatingSystem.IsLinux() || IntPtr.Size != 8) return false;
            try
            {
                // Microsoft.Data.Sqlite picks and initializes the native library in its static constructor.
                RuntimeHelpers.RunClassConstructor(typeof(SqliteConnection).TypeHandle);
                var inner = sqlite3_vfs_find(null);
                if (inner is null || inner->iVersion < 3) return false;
                var ours = (Vfs*)NativeMemory.AllocZeroed((nuint)sizeof(Vfs));
                // Every call but xOpen goes straight to the default file system; pAppData stays its own.
                *ours = *inner;
                ours->pNext = null;
                ours->zName = (byte*)Marshal.StringToCoTaskMemUTF8(Name);
                _stateOffset = (inner->szOsFile + 7) & ~7;
                ours->szOsFile = _stateOffset + sizeof(nint);
                ours->xOpen = &Open;
                if (sqlite3_vfs_register(ours, 0) != Ok) return false;
                _default = inner;
                return true;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Opens <paramref name="builder"/>'s file through this file system when it names a file (not memory) and no other file
    /// system, and the file system is there to use.
    /// </summary>
    public static void UseFor(SqliteConnectionStringBuilder builder)
    {
        if (builder.Vfs is null && builder.Mode != SqliteOpenMode.Memory && builder.DataSource is { Length: > 0 } source && source != ":memory:"
            && EnsureRegistered())
            builder.Vfs = Name;
    }

    /// <summary>
    /// For tests: the writes this connection's log was handed by SQLite and the writes it made of them, since the
    /// log was opened, and the bytes it holds now; null when the connection's log is not one of this file system's (or not open yet).
    /// </summary>
    public static (long Taken, long Made, int Pending)? LogWrites(SqliteConnection connection)
    {
        if (connection.Handle is not { } handle) return null;
        if (SqliteFileSync.FileControl(handle.DangerousGetHandle(), SqliteFileSync.Main, JournalPointer, out var file) != Ok || file == 0) return null;
        var methods = ((File*)file)->pMethods;
        if (methods is null || !Holds(Wrapped, methods)) return null;
        var log = StateOf((File*)file);
        return (log->Taken, log->Made, log->Length);
    }

    /// <summary>Whether <paramref name="methods"/> is one of the tables made in <paramref name="wrapped"/>.</summary>
    private static bool Holds(List<nint> wrapped, IoMethods* methods)
    {
        lock (Gate)
        {
            for (var i = 1; i < wrapped.Count; i += 2)
            {
                if (wrapped[i] == (nint)methods) return true;
            }
            return false;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Open(Vfs* vfs, byte* name, File* file, int flags, int* outFlags)
    {
        var rc = _default->xOpen(_default, name, file, flags, outFlags);
        if (rc != Ok || file->pMethods is null) return rc;
        if ((flags & OpenMainDb) != 0) return OpenDatabase(file);
        if ((flags & OpenWal) == 0) return rc;
        // An exception must not leave a callback SQLite made (it would end the process): out of memory is SQLite's NOMEM.
        var inner = file->pMethods;
        LogState* log = null;
        try
        {
            log = (LogState*)NativeMemory.AllocZeroed((nuint)sizeof(LogState));
            log->Inner = inner;
            log->CommitPageAt = -1;
            *(LogState**)((byte*)file + _stateOffset) = log;
            file->pMethods = WrapOnce(Wrapped, inner, &LogCalls);
            // The database file this log belongs to (its pager opened it first, through here): its write lock's release ends
            // what the log may still hold.
            var database = (File*)sqlite3_database_file_object(name);
            if (database is not null && Holds(WrappedDatabases, database->pMethods))
            {
                var owner = DatabaseStateOf(database);
                owner->Log = log;
                log->Database = owner;
            }
            return Ok;
        }
        catch (OutOfMemoryException)
        {
            if (log is not null) NativeMemory.Free(log);
            *(LogState**)((byte*)file + _stateOffset) = null;
            inner->xClose(file);
            file->pMethods = null;
            return NoMemory;
        }
    }

    /// <summary>
    /// A database file: its own calls go straight to the default file system, but for the release of its log's write lock
    /// (<see cref="ShmLock"/>) and its close.
    /// </summary>
    private static int OpenDatabase(File* file)
    {
        DatabaseState* database = null;
        try
        {
            database = (DatabaseState*)NativeMemory.AllocZeroed((nuint)sizeof(DatabaseState));
            database->Inner = file->pMethods;
            var methods = WrapOnce(WrappedDatabases, file->pMethods, &DatabaseCalls);
            *(DatabaseState**)((byte*)file + _stateOffset) = database;
            file->pMethods = methods;
            return Ok;
        }
        catch (OutOfMemoryException)
        {
            // Left as the default file system's own file: its log is then written as SQLite writes it.
            if (database is not null) NativeMemory.Free(database);
            return Ok;
        }
    }

    private static DatabaseState* DatabaseStateOf(File* file) => *(DatabaseState**)((byte*)file + _stateOffset);

    /// <summary>
    /// The database's shared-memory locks. When the log's write lock is released, the transaction is over: a commit's
    /// pages were written at its last page, so what the log still holds belongs to a transaction rolled back, and is
    /// dropped. Written later, it would land on frames another connection may have committed meanwhile.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ShmLock(File* file, int offset, int count, int flags)
    {
        var database = DatabaseStateOf(file);
        var rc = database->Inner->xShmLock(file, offset, count, flags);
        if (offset == WalWriteLock && (flags & ShmUnlock) != 0 && database->Log is not null)
        {
            database->Log->Length = 0;
            database->Log->CommitPageAt = -1;
        }
        return rc;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int CloseDatabase(File* file)
    {
        var database = DatabaseStateOf(file);
        var rc = database->Inner->xClose(file);
        if (database->Log is not null) database->Log->Database = null;
        NativeMemory.Free(database);
        *(DatabaseState**)((byte*)file + _stateOffset) = null;
        return rc;
    }

    /// <summary>
    /// The table made for the default file system's <paramref name="inner"/> one, made once (a copy of it, with
    /// <paramref name="calls"/> going through here first) and kept for the process.
    /// </summary>
    private static IoMethods* WrapOnce(List<nint> wrapped, IoMethods* inner, delegate*<IoMethods*, void> calls)
    {
        lock (Gate)
        {
            for (var i = 0; i < wrapped.Count; i += 2)
            {
                if (wrapped[i] == (nint)inner) return (IoMethods*)wrapped[i + 1];
            }
            var ours = (IoMethods*)NativeMemory.AllocZeroed((nuint)sizeof(IoMethods));
            Buffer.MemoryCopy(inner, ours, sizeof(IoMethods), MethodsSize(inner->iVersion));
            calls(ours);
            wrapped.Add((nint)inner);
            wrapped.Add((nint)ours);
            return ours;
        }
    }

    /// <summary>A log's calls that touch its contents.</summary>
    private static void LogCalls(IoMethods* methods)
    {
        methods->xClose = &Close;
        methods->xRead = &Read;
        methods->xWrite = &Write;
        methods->xTruncate = &Truncate;
        methods->xSync = &Sync;
        methods->xFileSize = &FileSize;
        methods->xFileControl = &FileControl;
        if (methods->iVersion >= 3) methods->xFetch = &Fetch;
    }

    /// <summary>A database file's close and its shared-memory locks (where the log's write lock is released).</summary>
    private static void DatabaseCalls(IoMethods* methods)
    {
        methods->xClose = &CloseDatabase;
        if (methods->iVersion >= 2) methods->xShmLock = &ShmLock;
    }

    /// <summary>The bytes of a method table of <paramref name="version"/>: iVersion (padded), then 12, 16 or 18 pointers.</summary>
    private static int MethodsSize(int version) => sizeof(nint) * (1 + version switch { 1 => 12, 2 => 16, _ => 18 });

    private static LogState* StateOf(File* file) => *(LogState**)((byte*)file + _stateOffset);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Write(File* file, void* data, int amount, long offset)
    {
        var log = StateOf(file);
        log->Taken++;
        int rc;
        if (log->Length > 0 && offset != log->Start + log->Length && (rc = Flush(file, log)) != Ok) return rc;
        if (amount > BufferBytes - log->Length)
        {
            if ((rc = Flush(file, log)) != Ok) return rc;
            if (amount > MaxWriteBytes)
            {
                log->Made++;
                return log->Inner->xWrite(file, data, amount, offset);
            }
        }
        if (log->Data is null)
        {
            try
            {
                log->Data = (byte*)NativeMemory.Alloc(BufferBytes);
            }
            catch (OutOfMemoryException)
            {
                return NoMemory;
            }
        }
        if (log->Length == 0) log->Start = offset;
        Buffer.MemoryCopy(data, log->Data + log->Length, BufferBytes - log->Length, amount);
        log->Length += amount;
        if (amount == FrameHeaderBytes)
        {
            // A frame's header: bytes 4-7 are the database's size in pages after the commit on a commit's last frame, 0 on every other.
            var header = (byte*)data;
            log->CommitPageAt = (header[4] | header[5] | header[6] | header[7]) != 0 ? offset + FrameHeaderBytes : -1;
            return Ok;
        }
        if (offset != log->CommitPageAt) return Ok;
        // The commit's last page: written before SQLite tells readers the commit is there.
        log->CommitPageAt = -1;
        return Flush(file, log);
    }

    /// <summary>
    /// Writes what is gathered, in writes of at most <see cref="MaxWriteBytes"/>; on failure it is dropped (SQLite rolls the
    /// transaction back).
    /// </summary>
    private static int Flush(File* file, LogState* log)
    {
        var rc = Ok;
        for (var done = 0; done < log->Length && rc == Ok; done += MaxWriteBytes)
        {
            log->Made++;
            rc = log->Inner->xWrite(file, log->Data + done, Math.Min(MaxWriteBytes, log->Length - done), log->Start + done);
        }
        log->Length = 0;
        return rc;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Close(File* file)
    {
        var log = StateOf(file);
        // What is still gathered belongs to a transaction that never committed (a commit writes its pages at its last one):
        // dropped, as when the write lock is released.
        var rc = log->Inner->xClose(file);
        if (log->Database is not null) log->Database->Log = null;
        if (log->Data is not null) NativeMemory.Free(log->Data);
        NativeMemory.Free(log);
        *(LogState**)((byte*)file + _stateOffset) = null;
        return rc;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Read(File* file, void* data, int amount, long offset)
    {
        var log = StateOf(file);
        var rc = Flush(file, log);
        return rc != Ok ? rc : log->Inner->xRead(file, data, amount, offset);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Truncate(File* file, long size)
    {
        var log = StateOf(file);
        var rc = Flush(file, log);
        return rc != Ok ? rc : log->Inner->xTruncate(file, size);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Sync(File* file, int flags)
    {
        var log = StateOf(file);
        var rc = Flush(file, log);
        return rc != Ok ? rc : log->Inner->xSync(file, flags);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int FileSize(File* file, long* size)
    {
        var log = StateOf(file);
        var rc = Flush(file, log);
        return rc != Ok ? rc : log->Inner->xFileSize(file, size);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int FileControl(File* file, int op, void* argument)
    {
        var log = StateOf(file);
        var rc = Flush(file, log);
        return rc != Ok ? rc : log->Inner->xFileControl(file, op, argument);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Fetch(File* file, long offset, int amount, void** pages)
    {
        var log = StateOf(file);
        var rc = Flush(file, log);
        return rc != Ok ? rc : log->Inner->xFetch(file, offset, amount, pages);
    }

    /// <summary>What one open log holds beside the default file system's own file (after it, in the same allocation).</summary>
    private struct LogState
    {
        public IoMethods* Inner;
        public byte* Data;
        public long Start;
        public int Length;
        /// <summary>Where the page after a commit frame's header begins; -1 when the last header was not a commit's.</summary>
        public long CommitPageAt;
        public long Taken;
        public long Made;
        /// <summary>The database file's state, while both are open.</summary>
        public DatabaseState* Database;
    }

    /// <summary>What an open database file holds beside the default file system's own file: its log, while that is open.</summary>
    private struct DatabaseState
    {
        public IoMethods* Inner;
        public LogState* Log;
    }

    // SQLite's structures (sqlite3.h), 64-bit layout; SQLite fills them (CS0649: never assigned here).
#pragma warning disable CS0649

    private struct File
    {
        public IoMethods* pMethods;
    }

    private struct IoMethods
    {
        public int iVersion;
        public delegate* unmanaged[Cdecl]<File*, int> xClose;
        public delegate* unmanaged[Cdecl]<File*, void*, int, long, int> xRead;
        public delegate* unmanaged[Cdecl]<File*, void*, int, long, int> xWrite;
        public delegate* unmanaged[Cdecl]<File*, long, int> xTruncate;
        public delegate* unmanaged[Cdecl]<File*, int, int> xSync;
        public delegate* unmanaged[Cdecl]<File*, long*, int> xFileSize;
        public void* xLock;
        public void* xUnlock;
        public void* xCheckReservedLock;
        public delegate* unmanaged[Cdecl]<File*, int, void*, int> xFileControl;
        public void* xSectorSize;
        public void* xDeviceCharacteristics;
        public void* xShmMap;
        public delegate* unmanaged[Cdecl]<File*, int, int, int, int> xShmLock;
        public void* xShmBarrier;
        public void* xShmUnmap;
        public delegate* unmanaged[Cdecl]<File*, long, int, void**, int> xFetch;
        public void* xUnfetch;
    }

    private struct Vfs
    {
        public int iVersion;
        public int szOsFile;
        public int mxPathname;
        public Vfs* pNext;
        public byte* zName;
        public void* pAppData;
        public delegate* unmanaged[Cdecl]<Vfs*, byte*, File*, int, int*, int> xOpen;
        public void* xDelete;
        public void* xAccess;
        public void* xFullPathname;
        public void* xDlOpen;
        public void* xDlError;
        public void* xDlSym;
        public void* xDlClose;
        public void* xRandomness;
        public void* xSleep;
        public void* xCurrentTime;
        public void* xGetLastError;
        public void* xCurrentTimeInt64;
        public void* xSetSystemCall;
        public void* xGetSystemCall;
        public void* xNextSystemCall;
    }

#pragma warning restore CS0649

    // The library Microsoft.Data.Sqlite's bundle loads (SQLitePCLRaw's e_sqlite3), as SqliteFileSync uses it.
    [DllImport("e_sqlite3")]
    private static extern Vfs* sqlite3_vfs_find(byte* name);

    [DllImport("e_sqlite3")]
    private static extern int sqlite3_vfs_register(Vfs* vfs, int makeDefault);

    [DllImport("e_sqlite3")]
    private static extern void* sqlite3_database_file_object(byte* journalName);
}
