using System.Diagnostics;
using System.Globalization;

namespace WeLink.Dashboard.Bench;

/// <summary>
/// <c>--split-cores</c>: the dashboard runs alone on core 0; the bench (its webhook sender) and the open pages' browser
/// run on core 1. In a deployment neither We-Link's sender nor the operator's browser runs on the dashboard's machine.
/// On two shared cores a run with pages measures the browser rendering them as much as the dashboard serving them;
/// split, the runs with and without pages give the dashboard the same core to itself, and their ratio is what
/// serving ten open pages costs it.
/// </summary>
public static class CoreSplit
{
    public const int DashboardCore = 0;
    public const int OthersCore = 1;

    public static bool On { get; set; }

    /// <summary>Every thread of this process on <see cref="OthersCore"/>; the processes it starts later (the page holder, Chromium) inherit it.</summary>
    public static void PinThisProcess()
    {
        if (Environment.ProcessorCount < 2) throw new InvalidOperationException("--split-cores needs at least two cores.");
        Pin(Environment.ProcessId, OthersCore);
        Console.WriteLine($"Split cores: the dashboard alone on core {DashboardCore}; the sender and the open pages' browser on core {OthersCore}.");
    }

    /// <summary>Every thread of the dashboard on <see cref="DashboardCore"/>; the threads it starts later inherit it.</summary>
    public static void PinDashboard(int pid) => Pin(pid, DashboardCore);

    // taskset -a: every thread that exists now. .NET's Process.ProcessorAffinity sets the main thread's only, on Linux.
    private static void Pin(int pid, int core)
    {
        using var taskset = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", core.ToString(CultureInfo.InvariantCulture), pid.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("taskset did not start.");
        taskset.StandardOutput.ReadToEnd();
        taskset.WaitForExit();
        if (taskset.ExitCode != 0) throw new InvalidOperationException($"taskset exited with {taskset.ExitCode} pinning process {pid} to core {core}.");
    }
}
