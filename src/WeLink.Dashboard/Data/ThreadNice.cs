using System.Runtime.InteropServices;

namespace WeLink.Dashboard.Data;

/// <summary>
/// The Linux nice value of the calling thread (<c>setpriority(PRIO_PROCESS, gettid(), …)</c>): on Linux each thread has
/// its own, and .NET's <see cref="Thread.Priority"/> does not change it. Lower runs first; going below the process's
/// own value needs <c>CAP_SYS_NICE</c> (or a <c>RLIMIT_NICE</c> that allows it).
/// </summary>
internal static class ThreadNice
{
    private const int PrioProcess = 0;

    /// <summary>Sets the calling thread's nice value; on failure, the error (e.g. "EPERM") and the value it kept.</summary>
    public static (bool Set, int Now, string? Error) TrySetCurrent(int nice)
    {
        if (!OperatingSystem.IsLinux()) return (false, 0, "not Linux");
        var tid = GetTid();
        if (SetPriority(PrioProcess, tid, nice) == 0) return (true, nice, null);
        var error = Marshal.GetLastPInvokeError();
        return (false, Current(), error switch { 1 => "EPERM", 13 => "EACCES", _ => $"errno {error}" });
    }

    /// <summary>The calling thread's nice value (Linux), read back from the kernel.</summary>
    public static int Current()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        Marshal.SetLastPInvokeError(0);
        return GetPriority(PrioProcess, GetTid());
    }

    // Plain DllImport: every argument is an int, so there is nothing to marshal (LibraryImport would need unsafe code).
    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int prio);

    [DllImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static extern int GetPriority(int which, int who);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
}
