using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using WeLink.Dashboard.Bench;
using WeLink.Testing;

// The whole benchmark in one run: see bench/run.sh and BENCHMARKS.md.
if (Arg("--paths") is { } onlyPaths) OpenPages.OnlyPaths = onlyPaths.Split(',', StringSplitOptions.RemoveEmptyEntries);
if (Arg("--browser-cpu-shares") is { } shares) OpenPages.BrowserCpuShares = int.Parse(shares, System.Globalization.CultureInfo.InvariantCulture);
OpenPages.ProfileBrowser = args.Contains("--browser-profile");
// --split-cores: the dashboard alone on core 0, this process (the sender) and the open pages' browser on core 1 (see CoreSplit).
if (args.Contains("--split-cores") && !args.Contains("--hold-pages"))
{
    CoreSplit.On = true;
    CoreSplit.PinThisProcess();
}
// The open pages' own process (see PageHolderProcess): the bench starts it; nothing else here runs.
if (args.Contains("--hold-pages")) return await PageHolderProcess.HoldAsync(args);
var quick = args.Contains("--quick");
var root = FindRepositoryRoot();
var dll = Arg("--dll") ?? Path.Combine(root, "src", "WeLink.Dashboard", "bin", "Release", "net10.0", "WeLink.Dashboard.dll");
var output = Arg("--out") ?? Path.Combine(root, "BENCHMARKS.md");
var seedCount = long.Parse(Arg("--seed") ?? (quick ? "100000" : "1000000"), System.Globalization.CultureInfo.InvariantCulture);
if (!File.Exists(dll)) throw new FileNotFoundException("Build the dashboard in Release first (bench/run.sh does).", dll);
// --provider PostgreSQL [--postgres "Host=..."]: the dashboards run on PostgreSQL databases instead of SQLite files.
using var store = BenchStore.From(Arg("--provider"), Arg("--postgres"));

// On the real disk, not a tmpfs: durable acknowledgements must pay for their fsync.
var work = Path.Combine("/var/tmp", "welink-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work);
var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
var warmup = TimeSpan.FromSeconds(quick ? 0.5 : 1);
var duration = TimeSpan.FromSeconds(quick ? 2 : 6);
int[] levels = [1, 8, 32, 128];
var total = Stopwatch.StartNew();
if (args.Contains("--gateway"))
{
    // Only the gateway's overhead (see GatewayBench); printed, for BENCHMARKS.md's gateway section.
    try
    {
        Console.WriteLine(await GatewayBench.RunAsync(dll, work, warmups: quick ? 50 : 300, samples: quick ? 300 : 2000));
    }
    finally
    {
        if (!args.Contains("--keep")) Directory.Delete(work, recursive: true);
    }
    return 0;
}
if (args.Contains("--ingest-only"))
{
    // Only ingest at 32 connections (--connections N for another count) against the dashboard --dll names:
    // bench/ingest-compare.sh runs it alternately on two builds, so both see the same machine load.
    try
    {
        var connections = int.Parse(Arg("--connections") ?? "32", System.Globalization.CultureInfo.InvariantCulture);
        var pool = new EventPool(secret);
        pool.EnsureUnused(60_000);
        await using var server = await StartDashboardAsync(Path.Combine(work, "ingest.db"));
        var cost = await RunCost.StartAsync(server.Pid, server.Http);
        var host = HostCpu.Sample();
        var ingest = await LoadRunner.ClosedLoopAsync(server.BaseAddress, "ingest", "/webhooks/welink", connections, pool.Events,
            pool.TakeUnused, warmup, duration);
        var machine = HostCpu.Describe(host);
        // With --writer: where the dashboard's CPU and its writer's time went during the run.
        if (args.Contains("--writer"))
        {
            Console.WriteLine("  " + await cost.LineAsync());
            foreach (var line in cost.WriterBreakdown()) Console.WriteLine("  " + line);
        }
        Console.WriteLine(FormattableString.Invariant(
            $"{store.Name} ingest N={connections}: {ingest.PerSecond:0} events/s p50 {Format.Ms(ingest.Acks.Percentile(50))} ms p99 {Format.Ms(ingest.Acks.Percentile(99))} ms non-200 {ingest.Non200}, {machine}"));
    }
    finally
    {
        if (!args.Contains("--keep")) Directory.Delete(work, recursive: true);
    }
    return 0;
}
if (args.Contains("--steady-only"))
{
    // Only the steady 1,000 events/s run (ack and push latency, one hub client) on a fresh dashboard (or --db FILE), after a
    // 5 s closed-loop ingest that warms the write path: bench/steady-compare.sh runs it alternately on two builds.
    try
    {
        // --steady-warm S: S seconds of the same 1,000 events/s first, not measured (the JIT settles in the first minute).
        var steadyWarm = int.Parse(Arg("--steady-warm") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var pool = new EventPool(secret);
        pool.EnsureUnused(60_000 + steadyWarm * 1_100);
        // --db FILE: on a database seeded before (--queries-only --db FILE), to see the write path at that size.
        await using var server = await StartDashboardAsync(Arg("--db") ?? Path.Combine(work, "steady.db"));
        await LoadRunner.ClosedLoopAsync(server.BaseAddress, "ingest", "/webhooks/welink", 32, pool.Events, pool.TakeUnused, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        if (steadyWarm > 0)
        {
            var warm = await SteadyAsync(server, pool, hubClients: 1, seconds: steadyWarm, quiet: true);
            Console.WriteLine(FormattableString.Invariant(
                $"  warm-up, {steadyWarm} s at 1,000/s: ack p50 {Format.Ms(warm.Acks.Acks.Percentile(50))} p99 {Format.Ms(warm.Acks.Acks.Percentile(99))} ms"));
        }
        var cost = await RunCost.StartAsync(server.Pid, server.Http);
        var host = HostCpu.Sample();
        var steady = await SteadyAsync(server, pool, hubClients: 1, seconds: quick ? 3 : 10, quiet: true);
        var machine = HostCpu.Describe(host);
        Console.WriteLine("  " + await cost.LineAsync());
        foreach (var line in cost.WriterBreakdown()) Console.WriteLine("  " + line);
        Console.WriteLine(FormattableString.Invariant(
            $"{store.Name} steady 1,000/s: ack p50 {Format.Ms(steady.Acks.Acks.Percentile(50))} p99 {Format.Ms(steady.Acks.Acks.Percentile(99))} ms, push p99 {Format.Ms(steady.Push.Percentile(99))} ms, non-200 {steady.Acks.Non200}, not pushed {steady.NotReceived}, {machine}"));
    }
    finally
    {
        if (!args.Contains("--keep")) Directory.Delete(work, recursive: true);
    }
    return 0;
}
if (args.Contains("--limits-only"))
{
    // Only what the machine allows (the full run's step 2c), printed.
    try
    {
        var pool = new EventPool(secret);
        pool.EnsureUnused(60_000);
        await MeasureLimitsAsync(pool);
    }
    finally
    {
        if (!args.Contains("--keep")) Directory.Delete(work, recursive: true);
    }
    return 0;
}
if (args.Contains("--instances-compare"))
{
    // One instance against two on one PostgreSQL database: bench/two-instances.sh.
    if (!store.PostgreSql) throw new ArgumentException("--instances-compare needs --provider PostgreSQL: two instances share a server, not a file");
    try
    {
        Console.WriteLine(await TwoInstances.CompareAsync(
            (database, i) => StartDashboardAsync(database, $"instance-{Path.GetFileNameWithoutExtension(database)}-{i}"), work, secret,
            rounds: int.Parse(Arg("--rounds") ?? "3", System.Globalization.CultureInfo.InvariantCulture),
            count: int.Parse(Arg("--events") ?? "20000", System.Globalization.CultureInfo.InvariantCulture),
            connections: 32));
    }
    finally
    {
        if (!args.Contains("--keep")) Directory.Delete(work, recursive: true);
    }
    return 0;
}
if (Arg("--sql") is { } sqlDatabase)
{
    // Statements from a file (one per blank-line-separated block) on a bench database, with the SQLite the
    // dashboard ships (the system's sqlite3 may be too old for its schema): rows and time, for EXPLAIN QUERY PLAN.
    var statements = File.ReadAllText(args[Array.IndexOf(args, "--sql") + 2]).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={sqlDatabase};Mode=ReadWrite");
    connection.Open();
    foreach (var sql in statements)
    {
        Console.WriteLine(sql);
        for (var run = 0; run < 3; run++)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            var watch = Stopwatch.StartNew();
            using var reader = command.ExecuteReader();
            var rows = 0;
            while (reader.Read())
            {
                if (run == 0 && rows < 12) Console.WriteLine("  | " + string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i))));
                rows++;
            }
            Console.WriteLine($"  {rows} rows, {watch.Elapsed.TotalMilliseconds:0.0} ms");
        }
    }
    Directory.Delete(work);
    return 0;
}
if (Arg("--export-bodies") is { } bodiesFile)
{
    // Unique signed bodies for bench/wrk-compare.sh: one per line, "<path and query>\t<body>".
    var count = int.Parse(args[Array.IndexOf(args, "--export-bodies") + 2], System.Globalization.CultureInfo.InvariantCulture);
    var exportSecret = Arg("--secret") ?? throw new ArgumentException("--export-bodies needs --secret (the dashboard's webhook secret)");
    var exportPool = new EventPool(exportSecret);
    exportPool.EnsureUnused(count + count / 50);
    var written = 0;
    await using (var writer = new StreamWriter(bodiesFile, append: false, new System.Text.UTF8Encoding(false)))
        foreach (var e in exportPool.Events)
        {
            // One line per body: a body with a raw newline or tab (whitespace between JSON tokens) is left out.
            if (written == count) break;
            if (e.Body.AsSpan().IndexOfAny((byte)'\n', (byte)'\t', (byte)'\r') >= 0) continue;
            await writer.WriteAsync("/webhooks/welink" + e.PathAndQuery + "\t");
            await writer.WriteAsync(System.Text.Encoding.UTF8.GetString(e.Body));
            await writer.WriteAsync('\n');
            written++;
        }
    Directory.Delete(work);
    if (written < count) throw new InvalidOperationException($"Only {written:N0} of {count:N0} bodies fit on one line each.");
    Console.WriteLine($"Wrote {count:N0} signed bodies to {bodiesFile}");
    return 0;
}
if (args.Contains("--queries-only") || args.Contains("--seed-only"))
{
    // Only the queries at scale: seeds --seed N events into --db FILE when that file does not exist yet (kept
    // for the next run: seeding is the slow part), then times the query set with 10 hub clients, printed.
    // --seed-only stops after the seed (bench/floor-compare.sh times the seeder on builds that leave work out).
    var seeded = Arg("--db") ?? Path.Combine(work, "seeded.db");
    if (store.PostgreSql || !File.Exists(seeded))
    {
        await using (await StartDashboardAsync(seeded))
        {
        }
        Console.WriteLine($"Seeding {seedCount:N0} events over 30 days into {(store.PostgreSql ? store.Name : seeded)}");
        var seed = await Seeder.SeedAsync(store, seeded, secret, seedCount, days: 30, pinTimeout: TimeSpan.FromMinutes(10));
        Console.WriteLine($"  {seed.Events:N0} events in {seed.Seconds:0.0} s ({seed.Events / seed.Seconds:N0}/s), {seed.FileBytes / 1048576.0:N0} MiB on disk");
        Console.WriteLine($"  the events stored in {seed.StoredSeconds:0.0} s, the search index caught up {seed.Seconds - seed.StoredSeconds:0.0} s later");
    }
    try
    {
        if (args.Contains("--seed-only")) return 0;
        await using var server = await StartDashboardAsync(seeded);
        await using var hubs = await HubClients.ConnectAsync(server.BaseAddress, token, 10);
        Console.WriteLine($"Queries on {store.Name} (bearer token, sequential), load average {File.ReadAllText("/proc/loadavg").Trim()}");
        await QueryPassesAsync(server);
        Console.WriteLine($"Load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!args.Contains("--keep")) Directory.Delete(work, recursive: true);
    }
    return 0;
}
if (args.Contains("--pages-only"))
{
    // Only the runs with and without ten open pages, on a fresh dashboard: printed, not written into BENCHMARKS.md.
    try
    {
        var pool = new EventPool(secret);
        pool.EnsureUnused(60_000);
        await using var server = await StartDashboardAsync(Path.Combine(work, "pages.db"));
        var runs = await PagesRoundsAsync(server, pool, rounds: int.Parse(Arg("--rounds") ?? "3", System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine();
        Console.WriteLine(Report.PagesTable(runs));
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!args.Contains("--keep")) Directory.Delete(work, recursive: true);
    }
    return 0;
}
// The full run writes the reference (SQLite) figures into BENCHMARKS.md; PostgreSQL's have a section of their own
// (bench/provider-compare.sh), so a full run on PostgreSQL must be told where to write.
if (store.PostgreSql && Arg("--out") is null)
    throw new ArgumentException("A full run on PostgreSQL needs --out FILE; BENCHMARKS.md's PostgreSQL figures come from bench/provider-compare.sh.");
var report = new Report(quick, seedCount) { LoadBefore = File.ReadAllText("/proc/loadavg").Trim(), HostBefore = HostCpu.Sample() };
// bench/wrk-compare.sh's and bench/floor-compare.sh's summaries: key=value lines, when run.sh ran them.
report.Wrk = Summary(Arg("--wrk"));
report.Floor = Summary(Arg("--floor"));
Console.WriteLine($"Benchmark work folder: {work}");

try
{
    // 1. Ingest against the no-op baseline, same server, same generator, same bodies.
    var pool = new EventPool(secret);
    pool.EnsureUnused(quick ? 20_000 : 60_000);
    await using (var server = await StartDashboardAsync(Path.Combine(work, "ingest.db")))
    {
        Console.WriteLine("Ingest throughput and ack latency (closed loop)");
        foreach (var n in levels)
        {
            var baselineNext = -1;
            var noop = await LoadRunner.ClosedLoopAsync(server.BaseAddress, "no-op", "/bench/noop", n, pool.Events,
                () => Interlocked.Increment(ref baselineNext) % pool.Events.Count, warmup, duration);
            pool.EnsureUnused((int)Math.Max(quick ? 20_000 : 60_000, noop.PerSecond * (warmup + duration).TotalSeconds * 1.1));
            // At 32 connections: how busy the one writer thread was, the ceiling it sets whatever the rest costs.
            var cost = n == 32 ? await RunCost.StartAsync(server.Pid, server.Http) : null;
            var ingest = await LoadRunner.ClosedLoopAsync(server.BaseAddress, "ingest", "/webhooks/welink", n, pool.Events,
                pool.TakeUnused, warmup, duration);
            if (cost is not null)
            {
                Console.WriteLine("  N= 32 " + await cost.LineAsync());
                report.WriterAt32 = cost.WriterBusy();
                report.LogSyncAt32 = cost.LogSyncBusy();
            }
            report.Ingest.Add((noop, ingest));
            Console.WriteLine($"  N={n,3}: no-op {noop.PerSecond,8:N0}/s p50 {Format.Ms(noop.Acks.Percentile(50))} p99 {Format.Ms(noop.Acks.Percentile(99))} | "
                + $"ingest {ingest.PerSecond,8:N0}/s p50 {Format.Ms(ingest.Acks.Percentile(50))} p99 {Format.Ms(ingest.Acks.Percentile(99))} "
                + $"| ratio {ingest.PerSecond / noop.PerSecond:0.00} | non-200: {noop.Non200}/{ingest.Non200}");
        }

        // 2. Live push at a steady 1,000 events/s with one hub client.
        Console.WriteLine("Steady 1,000 events/s: ack and push latency");
        // Three runs (issue 14 reads medians with their spread): one run's p99 moves by a factor of two on the same build.
        for (var run = 0; run < (quick ? 1 : 3); run++) report.SteadyRuns.Add(await SteadyAsync(server, pool, hubClients: 1, seconds: quick ? 3 : 10));

        // 2b. The same two runs with and without ten open pages, interleaved.
        if (!args.Contains("--no-pages")) report.Pages = await PagesRoundsAsync(server, pool, rounds: 3);
    }

    // 2c. What the machine allows, with no dashboard running: the disk's durable write, SQLite's bare insert.
    report.Limits = await MeasureLimitsAsync(pool);

    // 3. Seed a fresh file made by the dashboard itself (schema, WAL, auto_vacuum), with the server stopped.
    var seeded = Path.Combine(work, "seeded.db");
    await using (await StartDashboardAsync(seeded))
    {
    }
    Console.WriteLine($"Seeding {seedCount:N0} events over 30 days");
    report.Seed = await Seeder.SeedAsync(store, seeded, secret, seedCount, days: 30, pinTimeout: TimeSpan.FromMinutes(10));
    Console.WriteLine($"  {report.Seed.Events:N0} events in {report.Seed.Seconds:0.0} s ({report.Seed.Events / report.Seed.Seconds:N0}/s), file {report.Seed.FileBytes / 1048576.0:N0} MiB");

    // 4. Queries, live push and memory at that size, with 10 hub clients connected.
    await using (var server = await StartDashboardAsync(seeded))
    {
        report.StartupRss = server.Memory().Rss;
        await using var hubs = await HubClients.ConnectAsync(server.BaseAddress, token, 10);
        Console.WriteLine($"Queries at {seedCount:N0} events (bearer token, sequential)");
        (report.QueriesAfterStart, report.Queries) = await QueryPassesAsync(server);
        Console.WriteLine("Steady 1,000 events/s at scale with 10 hub clients");
        report.SteadyAtScale = await SteadyAsync(server, pool, hubClients: 0, seconds: quick ? 3 : 8, existing: hubs);
        report.Memory = server.Memory();
        Console.WriteLine($"  RSS {report.Memory.Value.Rss:N0} MiB (peak {report.Memory.Value.Peak:N0} MiB)");
    }
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    if (!args.Contains("--keep")) Directory.Delete(work, recursive: true);
}

report.Machine = Machine();
report.LoadAfter = File.ReadAllText("/proc/loadavg").Trim();
report.Steal = HostCpu.Sample().Since(report.HostBefore)?.Steal;
report.Elapsed = total.Elapsed;
Console.WriteLine();
Console.WriteLine(report.Table());
report.WriteInto(output);
Console.WriteLine($"Wrote the figures into {output} ({total.Elapsed.TotalMinutes:0.0} min)");
return 0;

async Task<MachineLimits> MeasureLimitsAsync(EventPool pool)
{
    Console.WriteLine("What the machine allows: 4 KiB write + fsync, SQLite storing the Events row alone");
    var empty = Path.Combine(work, "limits.db");
    await using (await StartDashboardAsync(empty))
    {
    }
    var limits = Limits.Measure(empty, work, pool.Events, seconds: quick ? 1 : 3);
    Console.WriteLine("  " + Limits.Line(limits));
    return limits;
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static Dictionary<string, string>? Summary(string? path) =>
    path is not null && File.Exists(path)
        ? File.ReadAllLines(path).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1])
        : null;

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "WeLink.Dashboard.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}

// Every route twice: the pass just after the dashboard started (its code still compiled quickly, its heap's first full
// collection to come, about 30 calls in) is printed and kept beside the second, the warm pass the target is read from.
async Task<(List<QueryResult> AfterStart, List<QueryResult> Warm)> QueryPassesAsync(ChildDashboard server)
{
    var queries = new QueryBench(server.BaseAddress, token);
    Task<List<QueryResult>> PassAsync(string title)
    {
        Console.WriteLine($"  {title}:");
        return queries.RunAsync(warmups: 3, samples: quick ? 10 : 40, budgetPerQuery: TimeSpan.FromSeconds(quick ? 5 : 15));
    }
    return (await PassAsync("the first pass, just after start"), await PassAsync("the second pass, warm (the target's)"));
}

// The Release build on 127.0.0.1 with the no-op baseline route on; SIGTERM at the end so the WAL is checkpointed.
// Two at once on one database (--instances-compare) need a log folder and console log each: name says which.
async Task<ChildDashboard> StartDashboardAsync(string databasePath, string? name = null)
{
    var dashboard = await StartDashboardOnAnyCoreAsync(databasePath, name);
    if (CoreSplit.On) CoreSplit.PinDashboard(dashboard.Pid);
    return dashboard;
}

Task<ChildDashboard> StartDashboardOnAnyCoreAsync(string databasePath, string? name) => ChildDashboard.StartAsync(databasePath, Path.Combine(work, name ?? "logs"),
    new Dictionary<string, string>(store.Settings(databasePath))
    {
        ["WeLink__WebhookSecret"] = secret,
        ["Ingest__BenchmarkNoOpEndpoint"] = "true",
        ["Dashboard__ApiTokens__0__Name"] = "bench",
        ["Dashboard__ApiTokens__0__Token"] = token,
        ["Dashboard__ApiTokens__0__Role"] = "Admin",
        ["Dashboard__AdminPassword"] = AdminPassword(),
        // The console at the app's own level, as in production; it goes to dashboard-console.log.
        ["Serilog__MinimumLevel__Default"] = "Information",
    },
    new ChildDashboard.Launch
    {
        Dll = dll,
        ConsoleLog = Path.Combine(work, name is null ? "dashboard-console.log" : $"{name}-console.log"),
        StartLimit = TimeSpan.FromSeconds(90),
        StopGracefully = true,
    });

// Without pages, with pages, without, with…: the 32-connection ingest and the steady 1,000 events/s run each time.
async Task<List<PagesRun>> PagesRoundsAsync(ChildDashboard server, EventPool pool, int rounds)
{
    var runs = new List<PagesRun>();
    var account = BenchTraffic.AccountName(7);
    var answers = new AnswerTimes();
    // A few events first, so that every page has rows and accounts to show.
    await LoadRunner.ClosedLoopAsync(server.BaseAddress, "ingest", "/webhooks/welink", 8, pool.Events, pool.TakeUnused, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    // --pages-in-process: Playwright in this process, beside the sender (how the runs before 2026-12-02 were made).
    await using IOpenPageSet pages = args.Contains("--pages-in-process")
        ? await OpenPages.LaunchAsync(server.BaseAddress, "admin", AdminPassword())
        : await PageHolderProcess.LaunchAsync(server.BaseAddress, "admin", AdminPassword());
    // Warm-up with the pages open under load (--pages-warm S, default 30 s): the pages' code (Blazor, MudBlazor, their
    // queries) is still being compiled by the tiered JIT for many seconds after they first open, and a sixth of the
    // dashboard's CPU in an unwarmed first round was that compilation, not what open pages cost all day.
    var pagesWarm = TimeSpan.FromSeconds(double.Parse(Arg("--pages-warm") ?? (quick ? "5" : "30"), System.Globalization.CultureInfo.InvariantCulture));
    if (pagesWarm > TimeSpan.Zero)
    {
        await pages.OpenAsync(account);
        pool.EnsureUnused(60_000);
        var warming = await LoadRunner.ClosedLoopAsync(server.BaseAddress, "ingest", "/webhooks/welink", 32, pool.Events, pool.TakeUnused,
            TimeSpan.Zero, pagesWarm);
        await pages.CloseAsync();
        Console.WriteLine($"Warm-up: {pagesWarm.TotalSeconds:0} s of ingest (32 connections) with the pages open: {warming.PerSecond:N0} events/s; not counted");
    }
    Console.WriteLine($"Ingest (32 connections) and steady 1,000 events/s, without and with {OpenPages.Paths(account).Length} open pages, {rounds} rounds interleaved");
    for (var round = 0; round < rounds; round++)
        foreach (var withPages in new[] { false, true })
        {
            if (withPages)
            {
                await pages.OpenAsync(account);
                // Past the pages' first renders (a renderer process each), so the run measures pages that are open, not opening.
                await Task.Delay(TimeSpan.FromSeconds(3));
                // What the open pages cost with no webhook arriving: the browser's and the dashboard's own share.
                var idle = await RunCost.StartAsync(server.Pid, server.Http);
                await Task.Delay(TimeSpan.FromSeconds(5));
                Console.WriteLine("  pages open, no load (5 s): " + await idle.LineAsync());
            }
            answers.Clear();
            var cost = await RunCost.StartAsync(server.Pid, server.Http);
            var browserBefore = withPages ? await pages.BrowserMetricsAsync() : null;
            var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            var ingestFrom = AnswerTimes.Now() + warmup.TotalMilliseconds;
            pool.EnsureUnused(60_000);
            var ingest = await LoadRunner.ClosedLoopAsync(server.BaseAddress, "ingest", "/webhooks/welink", 32, pool.Events, pool.TakeUnused, warmup, duration, answers.Answered);
            var ingestTo = AnswerTimes.Now();
            var steady = await SteadyAsync(server, pool, hubClients: 1, seconds: quick ? 3 : 10, answered: answers.Answered, quiet: true);
            var steadyTo = AnswerTimes.Now();
            // Before the pages close, so their renderers' CPU time is still there to read.
            var costLine = await cost.LineAsync();
            if (browserBefore is not null)
            {
                var seconds = (AnswerTimes.Now() - ingestFrom + warmup.TotalMilliseconds) / 1000;
                foreach (var (path, after) in await pages.BrowserMetricsAsync())
                {
                    double D(string name) => after.GetValueOrDefault(name) - browserBefore.GetValueOrDefault(path)?.GetValueOrDefault(name) ?? 0;
                    costLine += $"\n        browser {path}: task {D("TaskDuration") / seconds * 100:0}% script {D("ScriptDuration") / seconds * 100:0}% layout {D("LayoutDuration") / seconds * 100:0}% style {D("RecalcStyleDuration") / seconds * 100:0}% of one core; layouts {D("LayoutCount") / seconds:0}/s styles {D("RecalcStyleCount") / seconds:0}/s nodes {after.GetValueOrDefault("Nodes"):0}";
                }
            }
            (Latencies Shown, int NotShown)? ingestTail = null, steadyTail = null;
            if (withPages)
            {
                // The run's last events get their time to reach the tail (up to 5 s) before the pages close.
                if (answers.Last is { } last) await pages.SettleAsync(last, TimeSpan.FromSeconds(5));
                var snapshots = await pages.CloseAsync();
                ingestTail = answers.TimeToTail(snapshots, ingestFrom, ingestTo);
                steadyTail = answers.TimeToTail(snapshots, ingestTo + 2000, steadyTo);
            }
            var run = new PagesRun(withPages, ingest, steady, ingestTail, steadyTail, load, cost.Shares);
            runs.Add(run);
            Console.WriteLine("  " + run.Line());
            Console.WriteLine("      " + costLine);
        }
    return runs;
}

string AdminPassword() => "bench-" + token[..12];

async Task<SteadyResult> SteadyAsync(ChildDashboard server, EventPool pool, int hubClients, int seconds, HubClients? existing = null,
    Action<BenchEvent, long>? answered = null, bool quiet = false)
{
    const int rate = 1000;
    var warm = rate * 2;
    pool.EnsureUnused(rate * seconds + warm);
    var events = Enumerable.Range(0, rate * seconds + warm).Select(_ => pool.Events[pool.TakeUnused()]).ToList();
    var hubs = existing ?? await HubClients.ConnectAsync(server.BaseAddress, token, hubClients);
    try
    {
        var sentCount = 0;
        var acks = await LoadRunner.SteadyRateAsync(server.BaseAddress, "/webhooks/welink", events, rate, warm, (e, at) =>
        {
            if (++sentCount == warm) hubs.Measuring = true;
            hubs.Sent(e.RequestId, at);
        }, answered);
        var deadline = Stopwatch.StartNew();
        while (hubs.Waiting > 0 && deadline.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        hubs.Measuring = false;
        var result = new SteadyResult(acks, hubs.Push, hubs.Waiting);
        if (!quiet) Console.WriteLine($"  ack p50 {Format.Ms(acks.Acks.Percentile(50))} p99 {Format.Ms(acks.Acks.Percentile(99))} ms ({acks.Completed:N0}, non-200 {acks.Non200}) | "
            + $"push p50 {Format.Ms(hubs.Push.Percentile(50))} p99 {Format.Ms(hubs.Push.Percentile(99))} ms ({hubs.Push.Count:N0} timed, {hubs.Waiting} not received)");
        return result;
    }
    finally
    {
        if (existing is null) await hubs.DisposeAsync();
    }
}

static string Machine()
{
    string Cpu() => File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
    string Os() => File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? RuntimeInformation.OSDescription;
    var memory = File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    return $"{Environment.ProcessorCount} cores ({Cpu()}), {long.Parse(memory, System.Globalization.CultureInfo.InvariantCulture) / 1048576.0:0.0} GiB RAM, "
        + $"{Os()}, {RuntimeInformation.FrameworkDescription}, ext4 on a virtual disk; load generator on the same machine";
}
