using System.Globalization;
using System.Text;

namespace WeLink.Dashboard.Bench;

public readonly record struct SteadyResult(LoadResult Acks, Latencies Push, int NotReceived);

/// <summary>The run's figures as a console table and as the generated part of BENCHMARKS.md.</summary>
public sealed class Report(bool quick, long seedCount)
{
    public const string Start = "<!-- bench:results:start (written by bench/run.sh; edit outside these markers) -->";
    public const string End = "<!-- bench:results:end -->";

    public List<(LoadResult NoOp, LoadResult Ingest)> Ingest { get; } = [];
    public SteadyResult? Steady { get; set; }
    public Latencies? Pushes { get; set; }
    public SeedResult? Seed { get; set; }
    public List<QueryResult> Queries { get; set; } = [];
    public SteadyResult? SteadyAtScale { get; set; }
    public (double Rss, double Peak)? Memory { get; set; }
    public double StartupRss { get; set; }
    public string Machine { get; set; } = "";
    /// <summary>/proc/loadavg before and after: anything else running on the machine skews every figure.</summary>
    public string LoadBefore { get; set; } = "";
    public string LoadAfter { get; set; } = "";
    public TimeSpan Elapsed { get; set; }

    private static string Pass(bool ok) => ok ? "met" : "**missed**";

    public string Table()
    {
        var md = new StringBuilder();
        var i = CultureInfo.InvariantCulture;
        md.AppendLine(i, $"Run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{(quick ? " (--quick: short runs, smaller seed; not the reference figures)" : "")}, {Elapsed.TotalMinutes:0.0} min in all.");
        md.AppendLine();
        md.AppendLine(i, $"Machine: {Machine}. Load average (/proc/loadavg) before: `{LoadBefore}`, after: `{LoadAfter}`; with 2 cores, anything above about 2 means other work shared the CPU and the figures are pessimistic.");
        md.AppendLine();
        md.AppendLine("### Targets");
        md.AppendLine();
        md.AppendLine("| target | measured | |");
        md.AppendLine("|---|---|---|");
        var at32 = Ingest.FirstOrDefault(r => r.Ingest.Connections == 32);
        if (at32.Ingest is not null)
        {
            var ratio = at32.Ingest.PerSecond / at32.NoOp.PerSecond;
            md.AppendLine(i, $"| ingest ≥ 0.5× no-op at 32 connections, durable acks | {ratio:0.00}× ({at32.Ingest.PerSecond:N0} vs {at32.NoOp.PerSecond:N0} events/s) | {Pass(ratio >= 0.5)} |");
        }
        if (Steady is { } steady)
        {
            var ack99 = steady.Acks.Acks.Percentile(99);
            var push99 = steady.Push.Percentile(99);
            md.AppendLine(i, $"| ack p99 ≤ 20 ms at 1,000 events/s | {Format.Ms(ack99)} ms | {Pass(ack99 <= 20)} |");
            md.AppendLine(i, $"| push p99 ≤ 100 ms at 1,000 events/s | {Format.Ms(push99)} ms | {Pass(push99 <= 100)} |");
        }
        var timed = Queries.Where(q => q.Outcome == "ok").ToList();
        if (timed.Count > 0)
        {
            var worst = timed.MaxBy(q => q.Times.Percentile(95))!;
            md.AppendLine(i, $"| every query p95 ≤ 50 ms at {seedCount:N0} events | worst {Format.Ms(worst.Times.Percentile(95))} ms ({worst.Name}); {Queries.Count - timed.Count} of {Queries.Count} routes not measurable yet | {Pass(worst.Times.Percentile(95) <= 50)}{(timed.Count < Queries.Count ? " for those there" : "")} |");
        }
        if (Memory is { } memory)
            md.AppendLine(i, $"| RSS ≤ 400 MB at {seedCount:N0} events, 10 hub clients | {memory.Rss:N0} MiB (peak {memory.Peak:N0} MiB) | {Pass(memory.Peak * 1.048576 <= 400)} |");
        if (Seed is { } seed)
            md.AppendLine(i, $"| seeding {seedCount:N0} events with projections well under a minute | {seed.Seconds:0.0} s | {Pass(seed.Seconds < 45)} |");
        md.AppendLine();

        md.AppendLine("### Ingest throughput and acknowledgement latency");
        md.AppendLine();
        md.AppendLine("Closed loop: each connection posts its next signed, unique event when the last one was answered. Ack = from sending the POST to reading the whole answer.");
        md.AppendLine();
        md.AppendLine("| connections | no-op events/s | no-op p50 / p99 ms | ingest events/s | ingest p50 / p99 ms | ingest ÷ no-op | non-200 (no-op / ingest) |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (noop, ingest) in Ingest)
            md.AppendLine(i, $"| {ingest.Connections} | {noop.PerSecond:N0} | {Format.Ms(noop.Acks.Percentile(50))} / {Format.Ms(noop.Acks.Percentile(99))} | {ingest.PerSecond:N0} | {Format.Ms(ingest.Acks.Percentile(50))} / {Format.Ms(ingest.Acks.Percentile(99))} | {ingest.PerSecond / noop.PerSecond:0.00} | {noop.Non200} / {ingest.Non200} |");
        md.AppendLine();

        md.AppendLine("### Steady 1,000 events/s");
        md.AppendLine();
        md.AppendLine("Open loop (latency counted from each event's scheduled send time). Push = from sending the POST to a SignalR client of `/hubs/events` receiving `EventReceived` for it.");
        md.AppendLine();
        md.AppendLine("| database | hub clients | acks timed | ack p50 / p99 ms | pushes timed | push p50 / p99 ms | non-200 | not pushed |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        void Line(string name, int hubs, SteadyResult r) =>
            md.AppendLine(i, $"| {name} | {hubs} | {r.Acks.Acks.Count:N0} | {Format.Ms(r.Acks.Acks.Percentile(50))} / {Format.Ms(r.Acks.Acks.Percentile(99))} | {r.Push.Count:N0} | {Format.Ms(r.Push.Percentile(50))} / {Format.Ms(r.Push.Percentile(99))} | {r.Acks.Non200} | {r.NotReceived} |");
        if (Steady is { } s1) Line("after the ingest runs", 1, s1);
        if (SteadyAtScale is { } s2) Line($"{seedCount:N0} seeded events", 10, s2);
        md.AppendLine();

        if (Seed is { } sd)
        {
            md.AppendLine("### Seeding");
            md.AppendLine();
            md.AppendLine(i, $"{sd.Events:N0} events over 30 days, with every projection, through the product's write path in {sd.Seconds:0.0} s ({sd.Events / sd.Seconds:N0} events/s); file {sd.FileBytes / 1048576.0:N0} MiB.");
            md.AppendLine();
        }

        md.AppendLine(i, $"### Queries at {seedCount:N0} events");
        md.AppendLine();
        md.AppendLine("Sequential, one at a time, with `Authorization: Bearer`, after 3 warm-up calls, 10 hub clients connected.");
        md.AppendLine();
        md.AppendLine("| query | route | p50 ms | p95 ms | samples |");
        md.AppendLine("|---|---|---:|---:|---:|");
        foreach (var q in Queries)
        {
            var route = q.Url.Length > 90 ? q.Url[..90] + "…" : q.Url;
            md.AppendLine(q.Outcome == "ok"
                ? string.Create(i, $"| {q.Name} | `{route}` | {Format.Ms(q.Times.Percentile(50))} | {Format.Ms(q.Times.Percentile(95))} | {q.Times.Count} |")
                : string.Create(i, $"| {q.Name} | `{route}` | {q.Outcome} | {q.Outcome} | 0 |"));
        }
        md.AppendLine();
        if (Memory is { } m)
        {
            md.AppendLine("### Memory");
            md.AppendLine();
            md.AppendLine(i, $"Dashboard process at {seedCount:N0} events with 10 hub clients: RSS {m.Rss:N0} MiB after the queries and the steady run, peak (VmHWM) {m.Peak:N0} MiB; {StartupRss:N0} MiB right after start.");
        }
        return md.ToString();
    }

    /// <summary>Replaces the generated part of <paramref name="path"/>, keeping what people wrote around it.</summary>
    public void WriteInto(string path)
    {
        var generated = Start + "\n" + Table() + End;
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\n" + Start + "\n" + End + "\n";
        var from = text.IndexOf(Start, StringComparison.Ordinal);
        var to = text.IndexOf(End, StringComparison.Ordinal);
        text = from >= 0 && to > from
            ? text[..from] + generated + text[(to + End.Length)..]
            : text + "\n" + generated + "\n";
        File.WriteAllText(path, text);
    }
}
