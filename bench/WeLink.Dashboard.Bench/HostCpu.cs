using System.Globalization;

namespace WeLink.Dashboard.Bench;

/// <summary>
/// The machine's CPU time from <c>/proc/stat</c>, for the share the hypervisor gave to other guests ("steal"): on a
/// virtual machine a neighbour's load slows every figure, and the load average does not show it. Two samples bound
/// a run; <see cref="StealSince"/> is the share of all the cores' time over it.
/// </summary>
public readonly record struct HostCpu(long Steal, long Total)
{
    public static HostCpu Sample()
    {
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (guest time is inside user already).
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return new HostCpu(ticks.Length > 7 ? ticks[7] : 0, ticks.Sum());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return default;
        }
    }

    /// <summary>The share of the CPU time between <paramref name="before"/> and now that other guests took; null when unknown.</summary>
    public double? StealSince(HostCpu before) => Total > before.Total ? (double)(Steal - before.Steal) / (Total - before.Total) : null;

    /// <summary>"steal 9%" over the run, or "steal unknown".</summary>
    public static string Describe(HostCpu before) =>
        Sample().StealSince(before) is { } share ? string.Create(CultureInfo.InvariantCulture, $"host steal {share * 100:0.0}%") : "host steal unknown";
}
