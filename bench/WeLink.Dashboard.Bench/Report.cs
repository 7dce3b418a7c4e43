using System.Globalization;
using System.Text;

namespace WeLink.Dashboard.Bench;

public readonly record struct SteadyResult(LoadResult Acks, Latencies Push, int NotReceived);

/// <summary>One run of the 32-connection ingest and the steady 1,000 events/s, with or without the ten open pages.</summary>
public sealed record PagesRun(bool WithPages, LoadResult Ingest, SteadyResult Steady,
    (Latencies Shown, int NotShown)? IngestTail, (Latencies Shown, int NotShown)? SteadyTail, string Load, CpuShares? Cpu = null)
{
    public double IngestAck99 => Ingest.Acks.Percentile(99);
    public double SteadyAck99 => Steady.Acks.Acks.Percentile(99);
    public double Push99 => Steady.Push.Percentile(99);

    public static string Tail((Latencies Shown, int NotShown)? tail) => tail is { } t
        ? $"{Format.Ms(t.Shown.Percentile(50))} / {Format.Ms(t.Shown.Percentile(99))}{(t.NotShown > 0 ? $" ({t.NotShown} not shown)" : "")}"
        : "–";

    /// <summary>"93% (d 88, c 71) / 0.4%": the machine busy (the dashboard's and Chromium's shares of one core) / host steal.</summary>
    public string CpuCell() => Cpu is { } c
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{(c.MachineBusy is { } busy ? $"{busy * 100:0}%" : "–")} (d {c.Dashboard * 100:0}, c {c.Chromium * 100:0}) / {(c.Steal is { } steal ? $"{steal * 100:0.0}%" : "–")}")
        : "–";

    public string Line() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{(WithPages ? "with pages   " : "without pages")} load {Load,5}: ingest {Ingest.PerSecond,7:N0}/s ack p99 {Format.Ms(IngestAck99)} ms, tail {Tail(IngestTail)} | steady ack p99 {Format.Ms(SteadyAck99)} ms, push p99 {Format.Ms(Push99)} ms, tail p50/p99 {Tail(SteadyTail)} ms");
}

/// <summary>The run's figures as a console table and as the generated part of BENCHMARKS.md.</summary>
public sealed class Report(bool quick, long seedCount)
{
    public const string Start = "<!-- bench:results:start (written by bench/run.sh; edit outside these markers) -->";
    public const string End = "<!-- bench:results:end -->";

    public List<(LoadResult NoOp, LoadResult Ingest)> Ingest { get; } = [];
    public List<SteadyResult> SteadyRuns { get; } = [];

    /// <summary>The steady run with the median ack p99 of <see cref="SteadyRuns"/>.</summary>
    public SteadyResult? Steady => SteadyRuns.Count == 0 ? null : SteadyRuns.OrderBy(r => r.Acks.Acks.Percentile(99)).ElementAt(SteadyRuns.Count / 2);
    public SeedResult? Seed { get; set; }
    /// <summary>The queries' warm pass (the target's); <see cref="QueriesAfterStart"/> is the pass before it, just after the dashboard started.</summary>
    public List<QueryResult> Queries { get; set; } = [];
    public List<QueryResult> QueriesAfterStart { get; set; } = [];
    public SteadyResult? SteadyAtScale { get; set; }
    public List<PagesRun> Pages { get; set; } = [];
    /// <summary>bench/wrk-compare.sh's summary (key=value lines), when run.sh ran it before the bench.</summary>
    public Dictionary<string, string>? Wrk { get; set; }
    /// <summary>bench/floor-compare.sh's summary (key=value lines): the write path with work left out, when run.sh ran it.</summary>
    public Dictionary<string, string>? Floor { get; set; }
    public (double Rss, double Peak)? Memory { get; set; }
    /// <summary>The disk's durable write and SQLite's bare insert, measured in this run (<see cref="Bench.Limits"/>).</summary>
    public MachineLimits? Limits { get; set; }
    public double StartupRss { get; set; }
    public string Machine { get; set; } = "";
    /// <summary>/proc/loadavg before and after: anything else running on the machine skews every figure.</summary>
    public string LoadBefore { get; set; } = "";
    public string LoadAfter { get; set; } = "";
    /// <summary>The CPU at the start, and the share of it the hypervisor gave other guests over the run (<see cref="HostCpu"/>).</summary>
    public HostCpu HostBefore { get; set; }
    public double? Steal { get; set; }
    /// <summary>The writer thread during the C# 32-connection ingest (<see cref="RunCost.WriterBusy"/>).</summary>
    public (double Share, double MsPerEvent, double Ceiling)? WriterAt32 { get; set; }
    /// <summary>The thread syncing the writer's log in the same run (<see cref="RunCost.LogSyncBusy"/>), when it syncs apart.</summary>
    public (double Share, double EventsPerSync)? LogSyncAt32 { get; set; }
    public TimeSpan Elapsed { get; set; }

    private static string Pass(bool ok) => ok ? "met" : "**missed**";

    public string Table()
    {
        var md = new StringBuilder();
        var i = CultureInfo.InvariantCulture;
        md.AppendLine(i, $"Run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{(quick ? " (--quick: short runs, smaller seed; not the reference figures)" : "")}, {Elapsed.TotalMinutes:0.0} min in all.");
        md.AppendLine();
        md.AppendLine(i, $"Machine: {Machine}. Load average (/proc/loadavg) before: `{LoadBefore}`, after: `{LoadAfter}`; with 2 cores, anything above about 2 means other work shared the CPU and the figures are pessimistic. {(Steal is { } steal ? string.Create(i, $"CPU time taken by other guests of the host (`steal` in /proc/stat) over the run: {steal * 100:0.0}%; above a few percent, the machine was slower than on a quiet day.") : "")}");
        md.AppendLine();
        md.AppendLine("### Targets");
        md.AppendLine();
        md.AppendLine("In issue 14's terms. Binding: ingest ÷ no-op ≥ 0.35 at 32 connections with `wrk` and ack p99 ≤ 40 ms at 1,000 events/s; the goal beyond: 0.5 and 20 ms.");
        md.AppendLine();
        md.AppendLine("| target | measured | |");
        md.AppendLine("|---|---|---|");
        // wrk-compare.sh writes "-nan" when a side measured nothing: such a summary is reported as not measured, not parsed.
        if (Wrk is { } wrk && wrk.TryGetValue("ratio32", out var wrkRatio) && double.TryParse(wrkRatio, NumberStyles.Float, i, out var ratio32))
        {
            var how = string.Create(i, $"{ratio32:0.00}× (median {wrk.GetValueOrDefault("ingest32")} vs {wrk.GetValueOrDefault("noop32")} req/s, {wrk.GetValueOrDefault("rounds")} rounds of {wrk.GetValueOrDefault("run_seconds")} s interleaved, both warmed {wrk.GetValueOrDefault("warm_seconds")} s; load after {wrk.GetValueOrDefault("load_after")})");
            md.AppendLine(i, $"| **binding**: ingest ≥ 0.35× no-op at 32 connections, `wrk` | {how} | {Pass(ratio32 >= 0.35)} |");
            md.AppendLine(i, $"| goal: ingest ≥ 0.5× no-op at 32 connections, `wrk` | {ratio32:0.00}× | {Pass(ratio32 >= 0.5)} |");
            if (wrk.TryGetValue("ratio1", out var one) && double.TryParse(one, NumberStyles.Float, i, out var r1))
                md.AppendLine(i, $"| ingest ≥ 0.2× no-op at 1 connection, `wrk` | {r1:0.00}× ({wrk.GetValueOrDefault("ingest1")} vs {wrk.GetValueOrDefault("noop1")} req/s) | {Pass(r1 >= 0.2)} |");
        }
        else
            md.AppendLine("| **binding**: ingest ≥ 0.35× no-op at 32 connections, `wrk` | not measured in this run (`bench/wrk-compare.sh`) | |");
        var at32 = Ingest.FirstOrDefault(r => r.Ingest.Connections == 32);
        if (at32.Ingest is not null)
        {
            var ratio = at32.Ingest.PerSecond / at32.NoOp.PerSecond;
            md.AppendLine(i, $"| the same with the bench's C# closed loop (one run each; the generator shares the cores) | {ratio:0.00}× ({at32.Ingest.PerSecond:N0} vs {at32.NoOp.PerSecond:N0} events/s) | {Pass(ratio >= 0.35)} |");
        }
        var at1 = Ingest.FirstOrDefault(r => r.Ingest.Connections == 1);
        if (at1.Ingest is not null)
        {
            var ratio = at1.Ingest.PerSecond / at1.NoOp.PerSecond;
            md.AppendLine(i, $"| ingest ≥ 0.2× no-op at 1 connection, C# closed loop | {ratio:0.00}× ({at1.Ingest.PerSecond:N0} vs {at1.NoOp.PerSecond:N0} events/s) | {Pass(ratio >= 0.2)} |");
        }
        if (Limits?.Rate(1, EventIndexes.All) is { } bare1)
        {
            // At 1 connection every acknowledgement waits for a commit of its own: the ceiling is one durable row at a time.
            var (noop1, fromWrk) = NoOpRate("noop1", at1.NoOp);
            md.AppendLine(i, $"| limit, same run: SQLite storing the `Events` row alone, one row a durable transaction, ÷ the no-op at 1 connection{(fromWrk ? " (`wrk`)" : " (C#)")} | {bare1.PerSecond / noop1:0.00}× ({bare1.PerSecond:N0} rows/s, {Format.Ms(bare1.MsPerCommit)} ms a commit) | |");
        }
        if (Limits?.Rate(32, EventIndexes.All) is { } bare32)
        {
            // The ceiling no write path with durable acknowledgements and this table's indexes can pass here.
            var (noop32, fromWrk) = NoOpRate("noop32", at32.NoOp);
            var digestOnly = Limits.Rate(32, EventIndexes.DigestOnly);
            var noIndex = Limits.Rate(32, EventIndexes.None);
            md.AppendLine(i, $"| limit, same run: SQLite storing the `Events` row alone in 32-row durable batches, ÷ the no-op{(fromWrk ? " (`wrk`)" : " (C#)")} | {bare32.PerSecond / noop32:0.00}× ({bare32.PerSecond:N0} rows/s){(digestOnly is null ? "" : string.Create(i, $"; with only the unique digest (deduplication, no query index) {digestOnly.PerSecond / noop32:0.00}× ({digestOnly.PerSecond:N0} rows/s)"))}{(noIndex is null ? "" : string.Create(i, $"; with no secondary index {noIndex.PerSecond / noop32:0.00}× ({noIndex.PerSecond:N0} rows/s)"))} | |");
        }
        if (Floor is { } floor && double.TryParse(floor.GetValueOrDefault("row_ratio32"), NumberStyles.Float, i, out var floor32))
        {
            // The product's own path with the projections and the search index left out (bench/floor.patch), measured as the
            // product is: what any write path that stores the event row durably with the query routes' indexes gets here.
            var at1Floor = double.TryParse(floor.GetValueOrDefault("row_ratio1"), NumberStyles.Float, i, out var floor1)
                ? string.Create(i, $"; at 1 connection {floor1:0.00}× ({floor.GetValueOrDefault("row_ingest1")} vs {floor.GetValueOrDefault("row_noop1")} req/s)")
                : "";
            md.AppendLine(i, $"| limit, same run: the write path storing the event row alone (its indexes, durable acknowledgements, the same HTTP, parsing and signature check; no projection, no search index: `bench/floor-compare.sh`), `wrk` ÷ the no-op of its own run | {floor32:0.00}× at 32 connections ({floor.GetValueOrDefault("row_ingest32")} vs {floor.GetValueOrDefault("row_noop32")} req/s){at1Floor} | |");
        }
        if (WriterAt32 is { } writer && at32.Ingest is not null)
        {
            // The write path's own ceiling: SQLite has one writer, and every event's statements and commit share its thread.
            var (noop32, fromWrk) = NoOpRate("noop32", at32.NoOp);
            md.AppendLine(i, $"| limit, same run: the one writer thread during the C# 32-connection ingest: busy {writer.Share * 100:0}% of the run, {writer.MsPerEvent:0.000} ms a stored event, so at most {writer.Ceiling:N0} events/s{(LogSyncAt32 is { } sync ? string.Create(i, $" (its log synced beside it on a thread of its own, in syncs {sync.Share * 100:0}% of the run, {sync.EventsPerSync:0.0} stored events a sync)") : "")}, ÷ the no-op{(fromWrk ? " (`wrk`)" : " (C#)")} | {writer.Ceiling / noop32:0.00}× | |");
        }
        if (Steady is { } steady)
        {
            var ack99 = steady.Acks.Acks.Percentile(99);
            var push99 = steady.Push.Percentile(99);
            var runs = SteadyRuns.Count > 1
                ? $" (median of {SteadyRuns.Count} runs: {string.Join(" / ", SteadyRuns.Select(r => Format.Ms(r.Acks.Acks.Percentile(99))))})"
                : "";
            md.AppendLine(i, $"| **binding**: ack p99 ≤ 40 ms at 1,000 events/s | {Format.Ms(ack99)} ms{runs} | {Pass(ack99 <= 40)} |");
            md.AppendLine(i, $"| goal: ack p99 ≤ 20 ms at 1,000 events/s | {Format.Ms(ack99)} ms | {Pass(ack99 <= 20)} |");
            if (Limits is { } limits)
                md.AppendLine(i, $"| limit, same run: one 4 KiB write made durable (`fsync`), p50 / p99 | {Format.Ms(limits.Fsync.Percentile(50))} / {Format.Ms(limits.Fsync.Percentile(99))} ms | |");
            md.AppendLine(i, $"| push p99 ≤ 100 ms at 1,000 events/s, no pages | {Format.Ms(push99)} ms | {Pass(push99 <= 100)} |");
        }
        var withPages = Pages.Where(p => p.WithPages).ToList();
        var withoutPages = Pages.Where(p => !p.WithPages).ToList();
        if (withPages.Count > 0 && withoutPages.Count > 0)
        {
            var push99 = Median(withPages.Select(p => p.Push99));
            md.AppendLine(i, $"| push p99 ≤ 100 ms at 1,000 events/s, 10 open pages (median of {withPages.Count} runs) | {Format.Ms(push99)} ms | {Pass(push99 <= 100)} |");
            var rate = Median(withPages.Select(p => p.Ingest.PerSecond)) / Median(withoutPages.Select(p => p.Ingest.PerSecond));
            var ack = Median(withPages.Select(p => p.SteadyAck99)) / Median(withoutPages.Select(p => p.SteadyAck99));
            var ingestAck = Median(withPages.Select(p => p.IngestAck99)) / Median(withoutPages.Select(p => p.IngestAck99));
            md.AppendLine(i, $"| 10 open pages cost ≤ 10%: ingest rate, ack p99 (32 connections; 1,000 events/s), with ÷ without | {rate:0.00}×; {ingestAck:0.00}×, {ack:0.00}× | {Pass(rate >= 0.9 && ingestAck <= 1.1 && ack <= 1.1)} |");
            var tail = new Latencies();
            foreach (var p in withPages) if (p.SteadyTail is { } t) tail.AddRange(t.Shown.All());
            var notShown = withPages.Sum(p => p.SteadyTail?.NotShown ?? 0);
            if (withPages.All(p => p.Cpu?.MachineBusy is not null) && withoutPages.All(p => p.Cpu?.MachineBusy is not null))
            {
                // Busy near 100% means every process's work waits in a run queue: the pages' latency cost then comes from the cores, not from one path.
                string Shares(List<PagesRun> runs) => string.Create(i,
                    $"busy {Median(runs.Select(p => p.Cpu!.MachineBusy!.Value)) * 100:0}% (dashboard {Median(runs.Select(p => p.Cpu!.Dashboard)) * 100:0}%, Chromium {Median(runs.Select(p => p.Cpu!.Chromium)) * 100:0}% of one core)");
                md.AppendLine(i, $"| limit, same run: the machine's {Environment.ProcessorCount} cores over the runs, without → with the pages (medians) | {Shares(withoutPages)} → {Shares(withPages)} | |");
            }
            md.AppendLine(i, $"| the live tail shows the newest event within 1 s at 1,000 events/s (p99) | p50 {Format.Ms(tail.Percentile(50))} ms, p99 {Format.Ms(tail.Percentile(99))} ms{(notShown > 0 ? $", {notShown} never shown" : "")} | {Pass(tail.Percentile(99) <= 1000 && notShown == 0)} |");
        }
        var timed = Queries.Where(q => q.Outcome == "ok").ToList();
        if (timed.Count > 0)
        {
            var worst = timed.MaxBy(q => q.Times.Percentile(95))!;
            md.AppendLine(i, $"| every query p95 ≤ 50 ms at {seedCount:N0} events (the warm pass) | worst {Format.Ms(worst.Times.Percentile(95))} ms ({worst.Name}); {Queries.Count - timed.Count} of {Queries.Count} routes not measurable yet | {Pass(worst.Times.Percentile(95) <= 50)}{(timed.Count < Queries.Count ? " for those there" : "")} |");
            if (QueriesAfterStart.Where(q => q.Outcome == "ok").MaxBy(q => q.Times.Percentile(95)) is { } first)
                md.AppendLine(i, $"| the same, the pass just after start | worst {Format.Ms(first.Times.Percentile(95))} ms ({first.Name}) | |");
        }
        if (Memory is { } memory)
            md.AppendLine(i, $"| RSS ≤ 400 MB at {seedCount:N0} events, 10 hub clients | {memory.Rss:N0} MiB (peak {memory.Peak:N0} MiB) | {Pass(memory.Peak * 1.048576 <= 400)} |");
        if (Seed is { } seed)
        {
            md.AppendLine(i, $"| {seedCount:N0} events seeded through the write path with every projection in ≤ 60 s | {seed.Seconds:0.0} s | {Pass(seed.Seconds <= 60 * seedCount / 1_000_000.0)} |");
            md.AppendLine(i, $"| catch-up events/s (a redelivered backlog through the same path; the seeder's rate) | {seed.Events / seed.Seconds:N0} events/s | |");
            if (Limits?.Rate(256, EventIndexes.All) is { } bare256)
            {
                md.AppendLine(i, $"| limit, same run: {seedCount:N0} `Events` rows alone in 256-row durable batches (no projection, no search index) | {seedCount / bare256.PerSecond:0.0} s ({bare256.PerSecond:N0} rows/s, on an empty file) | |");
                // Every seeded payload is also indexed for free text, beside the events (its own file, thread and connection):
                // the longer of the two bounds the seeding from below.
                if (Limits.Search is { } search)
                    md.AppendLine(i, $"| limit, same run: the search index alone taking in {seedCount:N0} payloads ({search.Batch:N0} a durable transaction, as the seeder); the longer of it and the bare rows above, as the seeder runs them side by side | {seedCount / search.PerSecond:0.0} s ({search.PerSecond:N0} payloads/s, on an empty index); {Math.Max(seedCount / bare256.PerSecond, seedCount / search.PerSecond):0.0} s | |");
            }
        }
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
        for (var run = 0; run < SteadyRuns.Count; run++) Line($"after the ingest runs{(SteadyRuns.Count > 1 ? $", run {run + 1}" : "")}", 1, SteadyRuns[run]);
        if (SteadyAtScale is { } s2) Line($"{seedCount:N0} seeded events", 10, s2);
        md.AppendLine();

        if (Pages.Count > 0)
        {
            md.AppendLine("### Ten open pages");
            md.AppendLine();
            md.Append(PagesTable(Pages));
            md.AppendLine();
        }

        if (Limits is { } lim)
        {
            md.AppendLine("### What the machine allows");
            md.AppendLine();
            md.AppendLine("Measured in this run, on the same disk, with no dashboard running (`bench/WeLink.Dashboard.Bench/Limits.cs`): a 4 KiB write at a random place of a 64 MiB file followed by `fsync`, 200 times; and SQLite alone storing the `Events` row (the writer's statement, pragmas and indexes, the bench's bodies, no projection, no search index, no checkpoint) in `synchronous=FULL` transactions on an empty file the dashboard made.");
            md.AppendLine();
            md.AppendLine(i, $"4 KiB write + `fsync`: p50 {Format.Ms(lim.Fsync.Percentile(50))} ms, p99 {Format.Ms(lim.Fsync.Percentile(99))} ms.");
            md.AppendLine();
            md.AppendLine("| rows a transaction | secondary indexes | rows/s | ms a commit | rows |");
            md.AppendLine("|---:|---|---:|---:|---:|");
            foreach (var r in lim.Inserts)
                md.AppendLine(i, $"| {r.Batch} | {r.IndexesText} | {r.PerSecond:N0} | {Format.Ms(r.MsPerCommit)} | {r.Rows:N0} |");
            md.AppendLine();
            if (lim.Search is { } search)
            {
                md.AppendLine(i, $"The search index alone (the dashboard's FTS5 trigram table on the same empty file, nothing else written), taking in the bench's payloads {search.Batch:N0} a durable transaction as the seeder does: {search.PerSecond:N0} payloads/s ({Format.Ms(search.MsPerCommit)} ms a commit, {search.Rows:N0} payloads).");
                md.AppendLine();
            }
        }

        if (Seed is { } sd)
        {
            md.AppendLine("### Seeding");
            md.AppendLine();
            md.AppendLine(i, $"{sd.Events:N0} events over 30 days, with every projection, through the product's write path in {sd.Seconds:0.0} s ({sd.Events / sd.Seconds:N0} events/s, the catch-up rate): the events stored with every projection in {sd.StoredSeconds:0.0} s, their search index built beside them in its own file and caught up at the end; file {sd.FileBytes / 1048576.0:N0} MiB.");
            md.AppendLine();
        }

        md.AppendLine(i, $"### Queries at {seedCount:N0} events");
        md.AppendLine();
        md.AppendLine("Sequential, one at a time, with `Authorization: Bearer`, 10 hub clients connected. Every route twice: a first pass just");
        md.AppendLine("after the dashboard started, then the warm pass the target is read from; each route 3 warm-up calls, then its samples.");
        md.AppendLine();
        md.AppendLine("| query | route | p50 ms | p95 ms | samples | just after start: p50 / p95 ms |");
        md.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var q in Queries)
        {
            var route = q.Url.Length > 90 ? q.Url[..90] + "…" : q.Url;
            var first = QueriesAfterStart.FirstOrDefault(f => f.Name == q.Name);
            var afterStart = first is { Outcome: "ok" } ? string.Create(i, $"{Format.Ms(first.Times.Percentile(50))} / {Format.Ms(first.Times.Percentile(95))}") : first?.Outcome ?? "–";
            md.AppendLine(q.Outcome == "ok"
                ? string.Create(i, $"| {q.Name} | `{route}` | {Format.Ms(q.Times.Percentile(50))} | {Format.Ms(q.Times.Percentile(95))} | {q.Times.Count} | {afterStart} |")
                : string.Create(i, $"| {q.Name} | `{route}` | {q.Outcome} | {q.Outcome} | 0 | {afterStart} |"));
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

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Medians with and without the pages, their ratio, and every run.</summary>
    public static string PagesTable(IReadOnlyList<PagesRun> runs)
    {
        var md = new StringBuilder();
        var i = CultureInfo.InvariantCulture;
        var without = runs.Where(r => !r.WithPages).ToList();
        var with = runs.Where(r => r.WithPages).ToList();
        md.AppendLine(i, $"Ten signed-in pages in headless Chromium ({string.Join(", ", OpenPages.Paths("acc-007").Select(p => "`" + p + "`"))}), opened before and closed after each \"with\" run; runs interleaved without / with, {without.Count} + {with.Count}, on one dashboard. Tail = from a POST's answer to the live tail page showing that event or one stored after it (recorded in the page by a MutationObserver on the grid; the pages stay open up to 5 s after a run for its last events), p50 / p99 ms.");
        md.AppendLine();
        md.AppendLine(i, $"CPU = over the run, the machine busy as a share of its {Environment.ProcessorCount} cores (everything: the dashboard, the sender, the browser, the kernel), with the dashboard's (d) and Chromium's (c) shares of one core; then the host's steal (CPU time given to other guests).");
        md.AppendLine();
        md.AppendLine("| | ingest events/s (32 conn.) | ingest ack p99 ms | steady ack p99 ms | push p99 ms | tail during ingest ms | tail at 1,000/s ms | CPU: machine busy (d, c) / steal | load |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs)
            md.AppendLine(i, $"| {(r.WithPages ? "with pages" : "without")} | {r.Ingest.PerSecond:N0} | {Format.Ms(r.IngestAck99)} | {Format.Ms(r.SteadyAck99)} | {Format.Ms(r.Push99)} | {PagesRun.Tail(r.IngestTail)} | {PagesRun.Tail(r.SteadyTail)} | {r.CpuCell()} | {r.Load} |");
        if (without.Count > 0 && with.Count > 0)
        {
            string Cell(Func<PagesRun, double> f, string format) => string.Create(i,
                $"{Median(without.Select(f)).ToString(format, i)} → {Median(with.Select(f)).ToString(format, i)} ({Median(with.Select(f)) / Median(without.Select(f)):0.00}×)");
            md.AppendLine(i, $"| **median without → with (with ÷ without)** | {Cell(r => r.Ingest.PerSecond, "N0")} | {Cell(r => r.IngestAck99, "0.0")} | {Cell(r => r.SteadyAck99, "0.0")} | {Cell(r => r.Push99, "0.0")} | | | | |");
        }
        return md.ToString();
    }

    /// <summary>Replaces the generated part of <paramref name="path"/>, keeping what people wrote around it.</summary>
    /// <summary>The no-op's rate a limit is divided by: <c>wrk</c>'s median (<paramref name="wrkKey"/>) when it ran, else the C# closed loop's.</summary>
    private (double PerSecond, bool FromWrk) NoOpRate(string wrkKey, LoadResult? closedLoop) =>
        Wrk is { } wrk && double.TryParse(wrk.GetValueOrDefault(wrkKey), NumberStyles.Float, CultureInfo.InvariantCulture, out var rate)
            ? (rate, true)
            : (closedLoop?.PerSecond ?? double.NaN, false);

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
