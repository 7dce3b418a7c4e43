using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;

namespace WeLink.Dashboard.Bench;

/// <summary>
/// What a run cost beside its throughput: CPU seconds of the dashboard and of every Chromium process (the
/// open pages' renderers share the two cores), and the time the dashboard spent in live page reloads by
/// component (its <c>reload</c> stages on <c>GET /bench/profile</c>). Taken before and after a run.
/// </summary>
public sealed class RunCost
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    private readonly int _dashboardPid;
    private readonly HttpClient _http;
    private double _dashboardCpu;
    private Dictionary<int, double> _chromiumCpu = [];
    private HostCpu _host;
    private Dictionary<string, (double Ms, long Count)> _reloads = [];
    private Dictionary<(string Instrument, string Tag), (double Sum, long Count)> _before = [];
    private Dictionary<(string Instrument, string Tag), (double Sum, long Count)> _after = [];
    private long _started;
    private double _seconds;

    private RunCost(int dashboardPid, HttpClient http)
    {
        _dashboardPid = dashboardPid;
        _http = http;
    }

    public static async Task<RunCost> StartAsync(int dashboardPid, HttpClient http)
    {
        var cost = new RunCost(dashboardPid, http);
        cost._dashboardCpu = CpuSeconds(dashboardPid);
        cost._chromiumCpu = ChromiumCpuSeconds();
        cost._host = HostCpu.Sample();
        cost._before = await ProfileAsync(http);
        cost._reloads = Reloads(cost._before);
        cost._started = Stopwatch.GetTimestamp();
        return cost;
    }

    /// <summary>The CPU over the run, once <see cref="LineAsync"/> has read it.</summary>
    public CpuShares? Shares { get; private set; }

    /// <summary>One line: CPU shares over the run and the components whose reloads took the most time.</summary>
    public async Task<string> LineAsync()
    {
        var seconds = _seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var dashboard = (CpuSeconds(_dashboardPid) - _dashboardCpu) / seconds;
        // Per process: one that ended during the run drops out (its time is not known), one that started counts from zero.
        var chromium = ChromiumCpuSeconds().Sum(p => p.Value - _chromiumCpu.GetValueOrDefault(p.Key)) / seconds;
        _after = await ProfileAsync(_http);
        var after = Reloads(_after);
        var stages = after.Where(r => r.Key.StartsWith("ingest ", StringComparison.Ordinal))
            .Select(r => (Name: r.Key[7..], Ms: r.Value.Ms - _reloads.GetValueOrDefault(r.Key).Ms, Count: r.Value.Count - _reloads.GetValueOrDefault(r.Key).Count))
            .Where(r => r.Count > 0).ToList();
        var reloads = after.Where(r => !r.Key.StartsWith("ingest ", StringComparison.Ordinal))
            .Select(r => (Name: r.Key, Ms: r.Value.Ms - _reloads.GetValueOrDefault(r.Key).Ms, Count: r.Value.Count - _reloads.GetValueOrDefault(r.Key).Count))
            .Where(r => r.Count > 0)
            .OrderByDescending(r => r.Ms)
            .ToList();
        var host = HostCpu.Sample().Since(_host);
        Shares = new CpuShares(dashboard, chromium, host?.Busy, host?.Steal);
        var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"cpu: dashboard {dashboard * 100:0}%, chromium {chromium * 100:0}% of one core, {HostCpu.Describe(host)}");
        if (reloads.Count > 0)
        {
            line.Append(CultureInfo.InvariantCulture, $"; reloads {reloads.Sum(r => r.Ms) / seconds / 10:0.0}% of one core, {reloads.Sum(r => r.Count) / seconds:0}/s:");
            foreach (var r in reloads.Take(6))
                line.Append(CultureInfo.InvariantCulture, $" {r.Name} {r.Count / seconds:0.0}/s × {r.Ms / r.Count:0.0} ms;");
        }
        if (WriterBusy() is { } busy)
            line.Append(CultureInfo.InvariantCulture, $"; writer busy {busy.Share * 100:0}% of the run, {busy.MsPerEvent:0.000} ms a stored event");
        if (stages.Count > 0)
        {
            line.Append("; ingest mean ms:");
            foreach (var r in stages) line.Append(CultureInfo.InvariantCulture, $" {r.Name} {r.Ms / r.Count:0.0} ({r.Count / seconds:0}/s)");
        }
        return line.ToString();
    }

    /// <summary>
    /// Where the writer's time went over the run, per stored event: the costliest statements and stages
    /// (from the totals <see cref="LineAsync"/> read at the end).
    /// </summary>
    public IEnumerable<string> WriterBreakdown(int top = 24)
    {
        var stored = Delta(("welink.ingest.operations", "StoreWebhookEvent"));
        if (stored <= 0) yield break;
        yield return string.Create(CultureInfo.InvariantCulture, $"writer, ms per stored event ({stored:0} stored):");
        foreach (var key in _after.Keys.Where(k => k.Instrument is "welink.ingest.statement.time" or "welink.ingest.stage.time")
                     .OrderByDescending(Delta).Take(top))
            yield return string.Create(CultureInfo.InvariantCulture,
                $"  {(key.Instrument == "welink.ingest.statement.time" ? "sql" : "stage")} {key.Tag}: {Delta(key) / stored:0.000}");
    }

    /// <summary>
    /// The one writer thread's busy time over the run (its batches, from taking one off the queue to releasing its callers, and
    /// the checkpoints after them) as a share of the run, and per stored event: 1 / that is the most events a second the writer
    /// can store, however fast the rest is. Null before <see cref="LineAsync"/> or when nothing was stored.
    /// </summary>
    public (double Share, double MsPerEvent, double Ceiling)? WriterBusy()
    {
        var stored = Delta(("welink.ingest.operations", "StoreWebhookEvent"));
        var busyMs = Delta(("welink.ingest.stage.time", "writer batch"));
        if (_seconds <= 0 || stored <= 0 || busyMs <= 0) return null;
        return (busyMs / (_seconds * 1000), busyMs / stored, stored / (busyMs / 1000));
    }

    /// <summary>
    /// The thread that syncs the writer's log (SQLite on Linux) over the run: its syncs as a share of the run, and how many
    /// stored events a sync answered. Null when the log is synced at each commit (nothing recorded).
    /// </summary>
    public (double Share, double EventsPerSync)? LogSyncBusy()
    {
        var stored = Delta(("welink.ingest.operations", "StoreWebhookEvent"));
        var syncMs = Delta(("welink.ingest.stage.time", "log sync"));
        var syncs = _after.GetValueOrDefault(("welink.ingest.stage.time", "log sync")).Count - _before.GetValueOrDefault(("welink.ingest.stage.time", "log sync")).Count;
        if (_seconds <= 0 || stored <= 0 || syncMs <= 0 || syncs <= 0) return null;
        return (syncMs / (_seconds * 1000), stored / syncs);
    }

    private double Delta((string Instrument, string Tag) key) => _after.GetValueOrDefault(key).Sum - _before.GetValueOrDefault(key).Sum;

    private static async Task<Dictionary<(string Instrument, string Tag), (double Sum, long Count)>> ProfileAsync(HttpClient http)
    {
        var totals = await http.GetFromJsonAsync<List<Total>>("/bench/profile") ?? [];
        return totals.ToDictionary(t => (t.Instrument, t.Tag ?? ""), t => (t.Sum, t.Count));
    }

    private static Dictionary<string, (double Ms, long Count)> Reloads(Dictionary<(string Instrument, string Tag), (double Sum, long Count)> profile) =>
        profile
            .Where(t => t.Key.Instrument == "welink.ingest.stage.time" && (t.Key.Tag.StartsWith("reload ", StringComparison.Ordinal) || IngestStages.Contains(t.Key.Tag)))
            .ToDictionary(t => t.Key.Tag.StartsWith("reload ", StringComparison.Ordinal) ? t.Key.Tag[7..] : "ingest " + t.Key.Tag, t => t.Value);

    /// <summary>The ingest stages shown beside the reloads (mean ms per measurement): where a slow answer waits.</summary>
    private static readonly HashSet<string> IngestStages = ["handler", "store", "queued", "commit", "publish"];

    private sealed record Total(string Instrument, string? Tag, double Sum, long Count);

    private static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may contain spaces) start after the last ')': utime and stime are the 12th and 13th.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0; // the process ended between listing and reading
        }
    }

    private static Dictionary<int, double> ChromiumCpuSeconds()
    {
        var seconds = new Dictionary<int, double>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                if (comm.StartsWith("chrom", StringComparison.Ordinal) || comm.StartsWith("headless", StringComparison.Ordinal))
                    seconds[pid] = CpuSeconds(pid);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
        return seconds;
    }
}

/// <summary>
/// A run's CPU: the dashboard's and Chromium's (one core = 1), and the whole machine's busy and stolen shares of all its
/// cores (<see cref="HostCpu"/>). A machine near 100% busy holds every process's work in run queues: a limit on latency
/// that no change to one process's own path removes.
/// </summary>
public sealed record CpuShares(double Dashboard, double Chromium, double? MachineBusy, double? Steal);
