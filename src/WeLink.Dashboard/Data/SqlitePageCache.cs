using System.Runtime.InteropServices;

namespace WeLink.Dashboard.Data;

/// <summary>
/// SQLite's default page cache, with one change: a b-tree's page swap no longer makes the end of every transaction walk
/// the whole cache.
/// <para>
/// When SQLite splits a b-tree page it puts the new pages in ascending order by swapping two of them, through a
/// temporary page number past the lock page (1 GiB ÷ the page size + 1: 262,145 for 4 KiB pages). The default cache
/// (pcache1) keeps the largest page number it has seen, and never lowers it on a swap. At the transaction's end SQLite
/// drops the pages past the database's size, and for a database under 1 GiB that largest number is past it by more than the
/// cache's hash table is long: pcache1 then walks every slot and every page it holds. With the writer's 32 MiB cache
/// that walk was the writer thread's most sampled function (9% of its time under `wrk` at 32 connections, BENCHMARKS.md,
/// twenty-fourth look), at the end of most commits that split a page.
/// </para>
/// <para>
/// This cache is the default one's own functions, except the swap: once the page has left the temporary number, the
/// largest page number seen goes back to what it was before the swap (no page was added meanwhile: the three moves run
/// one after the other on one connection). The end of the transaction then drops pages past the database's size as
/// before, walking only the few slots they can be in. Installed once per process before SQLite is first used
/// (from <see cref="SqliteStartup"/> as the dashboard's code loads), on Linux on 64 bits, and only when a check
/// of the default cache's layout passes; otherwise SQLite keeps its own.
/// </para>
/// </summary>
internal static unsafe class SqlitePageCache
{
    private const int Ok = 0;
    private const int ConfigPcache2 = 18;     // SQLITE_CONFIG_PCACHE2
    private const int ConfigGetPcache2 = 19;  // SQLITE_CONFIG_GETPCACHE2
    private const uint PendingByte = 0x40000000; // SQLite's lock byte: its page is never a database page

    // Offsets in pcache1's PCache1 (SQLite 3.x, 64 bits): szPage, iMaxKey ("largest key seen since xTruncate") and
    // nHash. Install checks them against the default cache before it uses them.
    private const int PageSizeOffset = 16;
    private const int MaxKeyOffset = 44;
    private const int HashSlotsOffset = 60;

    private static Methods _default;

    /// <summary>Set once the offsets above were checked against the default cache: until then the table only passes calls on.</summary>
    private static volatile bool _active;

    /// <summary>The connection (cache) in a swap on this thread, and the largest page number its cache had seen before it.</summary>
    [ThreadStatic] private static nint _swapCache;
    [ThreadStatic] private static uint _maxBeforeSwap;

    /// <summary>Whether this process's SQLite uses this cache, its layout checked.</summary>
    public static bool Active => _active;

    /// <summary>For tests, on the calling thread: true makes a swap leave the largest page number as the default cache does.</summary>
    [ThreadStatic] internal static bool KeepRaisedOnThisThread;

    /// <summary>For tests: page swaps through the temporary page number made by this thread's connections.</summary>
    [ThreadStatic] internal static long SwapsOnThisThread;

    /// <summary>For tests: transaction ends on this thread that made the default cache walk its whole hash table.</summary>
    [ThreadStatic] internal static long FullWalksOnThisThread;

    /// <summary>
    /// Installs the cache; false when SQLite refuses it (it has been used already in this process, and keeps its own) or
    /// the check of the default cache's layout fails (the table then only passes calls on). Called once, by
    /// <see cref="SqliteStartup.Configure"/>, on Linux on 64 bits, with the native library loaded.
    /// </summary>
    internal static bool Install()
    {
        Methods methods;
        if (sqlite3_config(ConfigGetPcache2, &methods) != Ok || methods.iVersion < 1) return false;
        _default = methods;
        var ours = methods;
        ours.xRekey = &Rekey;
        ours.xTruncate = &Truncate;
        // SQLite copies the table; it refuses it (SQLITE_MISUSE) once it has been initialized.
        if (sqlite3_config(ConfigPcache2, &ours) != Ok) return false;
        // The check makes a cache, which needs SQLite initialized (as any first use would).
        if (sqlite3_initialize() != Ok || !LayoutMatches(methods)) return false;
        _active = true;
        return true;
    }

    /// <summary>
    /// Checks, on a cache of the default implementation made for the purpose (its own memory, not SQLite's pages), that the
    /// offsets above are the page size, the largest page number seen and the hash table's length.
    /// </summary>
    private static bool LayoutMatches(in Methods methods)
    {
        var cache = methods.xCreate(4096, 64, 0);
        if (cache is null) return false;
        try
        {
            if (*(int*)((byte*)cache + PageSizeOffset) != 4096) return false;
            var first = methods.xFetch(cache, 7, 2);
            if (first is null || MaxKey(cache) != 7) return false;
            var second = methods.xFetch(cache, 300, 2);
            if (second is null || MaxKey(cache) != 300) return false;
            var slots = *(uint*)((byte*)cache + HashSlotsOffset);
            if (slots < 2 || slots > 1 << 24) return false;
            methods.xUnpin(cache, second, 1);
            methods.xTruncate(cache, 8);
            return MaxKey(cache) == 7;
        }
        finally
        {
            methods.xDestroy(cache);
        }
    }

    private static uint MaxKey(void* cache) => *(uint*)((byte*)cache + MaxKeyOffset);

    private static uint SwapKey(void* cache)
    {
        var pageSize = *(int*)((byte*)cache + PageSizeOffset);
        return pageSize > 0 ? PendingByte / (uint)pageSize + 1 : 0;
    }

    [UnmanagedCallersOnly]
    private static void Rekey(void* cache, void* page, uint oldKey, uint newKey)
    {
        if (!_active)
        {
            _default.xRekey(cache, page, oldKey, newKey);
            return;
        }
        var swapKey = SwapKey(cache);
        if (newKey == swapKey && swapKey != 0)
        {
            _swapCache = (nint)cache;
            _maxBeforeSwap = MaxKey(cache);
            SwapsOnThisThread++;
        }
        _default.xRekey(cache, page, oldKey, newKey);
        if (oldKey == swapKey && swapKey != 0 && _swapCache == (nint)cache)
        {
            _swapCache = 0;
            // Only when the swap raised it: a database past 1 GiB has real pages past the temporary number.
            if (!KeepRaisedOnThisThread && _maxBeforeSwap < swapKey && MaxKey(cache) == swapKey)
                *(uint*)((byte*)cache + MaxKeyOffset) = Math.Max(_maxBeforeSwap, newKey);
        }
    }

    [UnmanagedCallersOnly]
    private static void Truncate(void* cache, uint limit)
    {
        // pcache1 walks every slot when the pages to drop could be in more slots than it has.
        var max = _active ? MaxKey(cache) : 0;
        if (_active && limit <= max && max - limit >= *(uint*)((byte*)cache + HashSlotsOffset)) FullWalksOnThisThread++;
        _default.xTruncate(cache, limit);
    }

#pragma warning disable CS0649 // filled in by sqlite3_config

    /// <summary>sqlite3_pcache_methods2.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Methods
    {
        public int iVersion;
        public void* pArg;
        public delegate* unmanaged<void*, int> xInit;
        public delegate* unmanaged<void*, void> xShutdown;
        public delegate* unmanaged<int, int, int, void*> xCreate;
        public delegate* unmanaged<void*, int, void> xCachesize;
        public delegate* unmanaged<void*, int> xPagecount;
        public delegate* unmanaged<void*, uint, int, void*> xFetch;
        public delegate* unmanaged<void*, void*, int, void> xUnpin;
        public delegate* unmanaged<void*, void*, uint, uint, void> xRekey;
        public delegate* unmanaged<void*, uint, void> xTruncate;
        public delegate* unmanaged<void*, void> xDestroy;
        public delegate* unmanaged<void*, void> xShrink;
    }

#pragma warning restore CS0649

    // sqlite3_config takes its argument after "..."; on Linux (x86-64, arm64) a pointer passes the same way either side of it.
    [DllImport("e_sqlite3")]
    private static extern int sqlite3_config(int option, Methods* methods);

    [DllImport("e_sqlite3")]
    private static extern int sqlite3_initialize();
}
