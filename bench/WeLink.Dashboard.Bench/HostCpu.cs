using System.Globalization;

namespace WeLink.Dashboard.Bench;

/// <summary>
/// The machine's CPU time from <c>/proc/stat</c>: how busy all its cores were over a run (everything: the dashboard, the
/// sender, the browser, the kernel), and the share the hypervisor gave to other guests ("steal"). On a virtual machine a
/// neighbour's load slows every figure, and the load average does not show it. Two samples bound a run.
/// </summary>
public readonly record struct HostCpu(long Idle, long Steal, long Total)
{
    public static HostCpu Sample()
    {
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (guest time is inside user already).
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return ticks.Length < 8 ? default : new HostCpu(ticks[3] + ticks[4], ticks[7], ticks.Sum());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return default;
        }
    }

    /// <summary>
    /// Over the time since <paramref name="before"/>, as shares of all the cores' time: busy (our own work of every process and
    /// the kernel's) and stolen (other guests'); null when unknown.
    /// </summary>
    public (double Busy, double Steal)? Since(HostCpu before)
    {
        var total = Total - before.Total;
        if (before.Total == 0 || total <= 0) return null;
        var steal = (double)(Steal - before.Steal) / total;
        return (1 - (double)(Idle - before.Idle) / total - steal, steal);
    }

    /// <summary>"machine busy 97% of 2 cores, host steal 0.4%" over the time since <paramref name="before"/>.</summary>
    public static string Describe(HostCpu before) => Describe(Sample().Since(before));

    /// <summary>The same for shares already read.</summary>
    public static string Describe((double Busy, double Steal)? share) => share is { } s
        ? string.Create(CultureInfo.InvariantCulture, $"machine busy {s.Busy * 100:0}% of {Environment.ProcessorCount} cores, host steal {s.Steal * 100:0.0}%")
        : "machine busy unknown";
}
