using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;

namespace WeLink.Dashboard.Bench;

/// <summary>
/// Ten signed-in dashboard pages in headless Chromium (the browser tests' Debian build), open while
/// the load runs: three event-log live tails (one filtered by account), Overview, Accounts twice,
/// the PIN inbox, Errors, Connections and Requests. The two unfiltered live tails record, in the
/// page, every change of the request ids their grid shows, so the bench can tell how long an
/// answered POST took to reach the tail.
/// </summary>
public sealed class OpenPages : IOpenPageSet
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>
    /// Logs [time (Unix ms), request ids shown, newest first] whenever the grid's rows change, from a
    /// MutationObserver (the page's own change, with no polling cost to the browser).
    /// </summary>
    private const string TailRecorder = """
        () => {
          window.__wlTail = [];
          let last = '';
          const record = () => {
            const ids = [...document.querySelectorAll('[data-testid="event-grid"] tbody span.wl-mono.wl-nowrap')].map(s => s.textContent.trim());
            const key = ids.join(',');
            if (key !== last) { last = key; window.__wlTail.push([performance.timeOrigin + performance.now(), ids]); }
          };
          record();
          new MutationObserver(record).observe(document.querySelector('[data-testid="event-grid"]'), { childList: true, subtree: true, characterData: true });
        }
        """;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IBrowserContext _context;
    private readonly List<IPage> _pages = [];
    private readonly List<IPage> _tails = [];
    private readonly List<(string Path, ICDPSession Session)> _metrics = [];

    private OpenPages(IPlaywright playwright, IBrowser browser, IBrowserContext context)
    {
        _playwright = playwright;
        _browser = browser;
        _context = context;
    }

    /// <summary>Set from <c>--paths /a,/b</c>: only these pages, to tell which page costs what.</summary>
    public static string[]? OnlyPaths { get; set; }

    /// <summary>
    /// Set from <c>--browser-cpu-shares N</c> (root, cgroup v1): Chromium runs in a CPU cgroup of that weight
    /// (1024 is everyone else's), so the browser takes what the dashboard and the sender leave, and a run
    /// with pages measures the dashboard's own cost of serving them.
    /// </summary>
    public static int? BrowserCpuShares { get; set; }

    private const string BrowserCgroup = "/sys/fs/cgroup/cpu/welink-bench-browser";

    public static string[] Paths(string account) => OnlyPaths ??
    [
        "/events", "/events", "/events?account=" + Uri.EscapeDataString(account),
        "/", "/accounts", "/accounts", "/pins", "/errors", "/connections", "/requests",
    ];

    /// <summary>Launches Chromium and signs in once; no page is open until <see cref="OpenAsync"/>.</summary>
    public static async Task<OpenPages> LaunchAsync(Uri baseAddress, string user, string password)
    {
        if (!File.Exists(ChromiumPath)) throw new InvalidOperationException("The open-pages runs need Debian's chromium: apt-get install -y chromium.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserCpuShares is not null ? Launcher() : ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        var pages = new OpenPages(playwright, browser, context);
        var signIn = await context.NewPageAsync();
        await signIn.GotoAsync("/signin");
        await signIn.GetByLabel("User name").FillAsync(user);
        await signIn.GetByLabel("Password").FillAsync(password);
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await signIn.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        await signIn.CloseAsync();
        return pages;
    }

    private static string Launcher()
    {
        var script = new System.Text.StringBuilder("#!/bin/sh\n");
        if (BrowserCpuShares is { } shares)
        {
            Directory.CreateDirectory(BrowserCgroup);
            File.WriteAllText(Path.Combine(BrowserCgroup, "cpu.shares"), shares.ToString(System.Globalization.CultureInfo.InvariantCulture));
            script.Append("echo $$ > ").Append(BrowserCgroup).Append("/cgroup.procs\n");
        }
        script.Append("exec ");
        script.Append(ChromiumPath).Append(" \"$@\"\n");
        var path = Path.Combine(Path.GetTempPath(), $"welink-bench-chromium-{Environment.ProcessId}.sh");
        File.WriteAllText(path, script.ToString());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>Opens the ten pages and waits until each has its live circuit; the unfiltered tails start recording.</summary>
    public async Task OpenAsync(string account)
    {
        foreach (var path in Paths(account))
        {
            var page = await _context.NewPageAsync();
            await page.GotoAsync(path);
            await page.Locator("#wl-interactive[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
            _pages.Add(page);
            var session = await _context.NewCDPSessionAsync(page);
            await session.SendAsync("Performance.enable");
            _metrics.Add((path, session));
            if (path == "/events")
            {
                await page.Locator("[data-testid='live-indicator']").WaitForAsync();
                await page.EvaluateAsync(TailRecorder);
                _tails.Add(page);
            }
        }
    }

    /// <summary>
    /// Set from <c>--browser-profile</c>: the first metrics call of a run with pages starts Chromium's sampling
    /// profiler on every page and a trace of the browser, the second stops both and prints where the pages'
    /// time went (the renderers' task time by thread and event; script self time by function and by script,
    /// summed over the pages) to standard error. The trace is kept for Perfetto.
    /// </summary>
    public static bool ProfileBrowser { get; set; }

    private bool _profiling;
    private TaskCompletionSource<string>? _traceDone;

    private async Task ProfileAsync()
    {
        if (!_profiling)
        {
            var tracer = _metrics[0].Session;
            _traceDone = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var done = _traceDone;
            tracer.Event("Tracing.tracingComplete").OnEvent += (_, e) => done.TrySetResult(e?.GetProperty("stream").GetString() ?? "");
            await tracer.SendAsync("Tracing.start", new Dictionary<string, object>
            {
                ["transferMode"] = "ReturnAsStream",
                ["traceConfig"] = new Dictionary<string, object> { ["includedCategories"] = new[] { "devtools.timeline", "blink", "cc", "viz", "toplevel" } },
            });
            foreach (var (_, session) in _metrics)
            {
                await session.SendAsync("Profiler.enable");
                await session.SendAsync("Profiler.setSamplingInterval", new Dictionary<string, object> { ["interval"] = 500 });
                await session.SendAsync("Profiler.start");
            }
            _profiling = true;
            return;
        }
        _profiling = false;
        var byFunction = new Dictionary<string, double>();
        var byScript = new Dictionary<string, double>();
        double total = 0;
        foreach (var (_, session) in _metrics)
        {
            if (await session.SendAsync("Profiler.stop") is not { } answer) continue;
            var profile = answer.GetProperty("profile");
            var frames = new Dictionary<int, (string Function, string Script)>();
            foreach (var node in profile.GetProperty("nodes").EnumerateArray())
            {
                var frame = node.GetProperty("callFrame");
                var url = frame.GetProperty("url").GetString() ?? "";
                var script = url.Length == 0 ? "(native)" : url[(url.LastIndexOf('/') + 1)..].Split('?')[0];
                var function = frame.GetProperty("functionName").GetString() is { Length: > 0 } name ? name : "(anonymous)";
                frames[node.GetProperty("id").GetInt32()] = ($"{function} {script}:{frame.GetProperty("lineNumber").GetInt32() + 1}", script);
            }
            var samples = profile.GetProperty("samples").EnumerateArray().Select(x => x.GetInt32()).ToArray();
            var deltas = profile.GetProperty("timeDeltas").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            for (var i = 0; i + 1 < samples.Length; i++)
            {
                var (function, script) = frames[samples[i]];
                var ms = deltas[i + 1] / 1000;
                byFunction[function] = byFunction.GetValueOrDefault(function) + ms;
                byScript[script] = byScript.GetValueOrDefault(script) + ms;
                total += ms;
            }
            await session.SendAsync("Profiler.disable");
        }
        PrintTrace(await SaveTraceAsync());
        Console.Error.WriteLine($"        browser profile, {_metrics.Count} pages, {total / 1000:0.0} s sampled in all; self time by script:");
        foreach (var (script, ms) in byScript.OrderByDescending(p => p.Value).Take(12))
            Console.Error.WriteLine($"          {ms / total * 100,5:0.0}%  {script}");
        Console.Error.WriteLine("        by function:");
        foreach (var (function, ms) in byFunction.OrderByDescending(p => p.Value).Take(30))
            Console.Error.WriteLine($"          {ms / total * 100,5:0.0}%  {function}");
    }

    /// <summary>Ends the trace and streams it into a file, chunk by chunk (it runs to hundreds of megabytes); answers the file.</summary>
    private async Task<string> SaveTraceAsync()
    {
        var tracer = _metrics[0].Session;
        await tracer.SendAsync("Tracing.end");
        var handle = await _traceDone!.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var file = Path.Combine(Path.GetTempPath(), "welink-bench-browser-trace.json");
        await using (var output = File.Create(file))
        {
            while (true)
            {
                var chunk = (await tracer.SendAsync("IO.read", new Dictionary<string, object> { ["handle"] = handle, ["size"] = 1 << 20 }))!.Value;
                var data = chunk.GetProperty("data").GetString() ?? "";
                await output.WriteAsync(chunk.TryGetProperty("base64Encoded", out var b64) && b64.GetBoolean()
                    ? Convert.FromBase64String(data) : System.Text.Encoding.UTF8.GetBytes(data));
                if (chunk.GetProperty("eof").GetBoolean()) break;
            }
        }
        await tracer.SendAsync("IO.close", new Dictionary<string, object> { ["handle"] = handle });
        Console.Error.WriteLine($"        browser trace (chrome://tracing, Perfetto): {file}");
        return file;
    }

    /// <summary>Chromium's trace of the first page: time by thread, and by event name on the busiest threads (nested events counted in each).</summary>
    private static void PrintTrace(string file)
    {
        using var stream = File.OpenRead(file);
        using var json = JsonDocument.Parse(stream);
        var events = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement : json.RootElement.GetProperty("traceEvents");
        var threadNames = new Dictionary<(int, int), string>();
        var byThread = new Dictionary<string, double>();
        var byName = new Dictionary<(string Thread, string Name), double>();
        var complete = new List<(int Pid, int Tid, string Name, double Dur)>();
        foreach (var e in events.EnumerateArray())
        {
            var ph = e.TryGetProperty("ph", out var p) ? p.GetString() : null;
            var pid = e.TryGetProperty("pid", out var pp) && pp.ValueKind == JsonValueKind.Number ? pp.GetInt32() : 0;
            var tid = e.TryGetProperty("tid", out var tt) && tt.ValueKind == JsonValueKind.Number ? tt.GetInt32() : 0;
            var name = e.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            if (ph == "M" && name == "thread_name") threadNames[(pid, tid)] = e.GetProperty("args").GetProperty("name").GetString() ?? "";
            else if (ph == "X" && e.TryGetProperty("dur", out var d)) complete.Add((pid, tid, name, d.GetDouble() / 1000));
        }
        foreach (var (pid, tid, name, dur) in complete)
        {
            var thread = $"{threadNames.GetValueOrDefault((pid, tid), "?")} {pid}";
            if (name is "ThreadControllerImpl::RunTask" or "RunTask") byThread[thread] = byThread.GetValueOrDefault(thread) + dur;
            byName[(thread, name)] = byName.GetValueOrDefault((thread, name)) + dur;
        }
        Console.Error.WriteLine("        trace of the first page: task ms by thread");
        foreach (var (thread, ms) in byThread.OrderByDescending(p => p.Value).Take(8)) Console.Error.WriteLine($"          {ms,9:0}  {thread}");
        foreach (var thread in byThread.OrderByDescending(p => p.Value).Take(3).Select(p => p.Key))
        {
            Console.Error.WriteLine($"        {thread}: ms by event");
            foreach (var ((_, name), ms) in byName.Where(p => p.Key.Thread == thread).OrderByDescending(p => p.Value).Take(25))
                Console.Error.WriteLine($"          {ms,9:0}  {name}");
        }
    }

    /// <summary>Chromium's own counters per open page (seconds of main-thread task, script, layout and style time; layout count), summed by path.</summary>
    public async Task<Dictionary<string, Dictionary<string, double>>> BrowserMetricsAsync()
    {
        var byPath = new Dictionary<string, Dictionary<string, double>>();
        foreach (var (path, session) in _metrics)
        {
            var answer = await session.SendAsync("Performance.getMetrics");
            if (answer is not { } json) continue;
            var sums = byPath.TryGetValue(path, out var found) ? found : byPath[path] = [];
            foreach (var metric in json.GetProperty("metrics").EnumerateArray())
            {
                var name = metric.GetProperty("name").GetString()!;
                if (name is "TaskDuration" or "ScriptDuration" or "LayoutDuration" or "RecalcStyleDuration" or "LayoutCount" or "RecalcStyleCount" or "Nodes")
                    sums[name] = sums.GetValueOrDefault(name) + metric.GetProperty("value").GetDouble();
            }
        }
        if (ProfileBrowser) await ProfileAsync();
        return byPath;
    }

    /// <summary>
    /// Waits (up to <paramref name="timeout"/>) until every live tail has shown <paramref name="requestId"/>, the newest
    /// event the bench had stored: the events of a run's last second are then timed when they reach the tail, not
    /// counted as never shown because the pages closed first. A tail that never shows it is left to the count.
    /// </summary>
    public async Task SettleAsync(string requestId, TimeSpan timeout)
    {
        foreach (var tail in _tails)
        {
            try
            {
                await tail.WaitForFunctionAsync("id => window.__wlTail.some(s => s[1].includes(id))", requestId,
                    new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 50 });
            }
            catch (TimeoutException)
            {
            }
        }
    }

    /// <summary>Reads the tails' logs and closes every page.</summary>
    public async Task<List<TailSnapshot>> CloseAsync()
    {
        var snapshots = new List<TailSnapshot>();
        foreach (var tail in _tails)
        {
            var json = await tail.EvaluateAsync<JsonElement>("() => window.__wlTail");
            foreach (var entry in json.EnumerateArray())
                snapshots.Add(new TailSnapshot(entry[0].GetDouble(), entry[1].EnumerateArray().Select(id => id.GetString() ?? "").ToArray()));
        }
        foreach (var page in _pages) await page.CloseAsync();
        _pages.Clear();
        _metrics.Clear();
        _tails.Clear();
        return snapshots;
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>What a live tail showed from <see cref="At"/> (Unix ms) on: request ids, newest first.</summary>
public sealed record TailSnapshot(double At, string[] RequestIds);

/// <summary>When each POST was answered (Unix ms) and the id its event was stored under, to time its way to the live tail.</summary>
public sealed class AnswerTimes
{
    private readonly ConcurrentDictionary<string, (double At, long Id)> _answered = new(StringComparer.Ordinal);

    /// <summary>Unix ms from the same clock as the page's <c>performance.timeOrigin + performance.now()</c>.</summary>
    public static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>The first answer for a request id counts (a login's PIN request and its outcome share one).</summary>
    public void Answered(BenchEvent e, long storedId) => _answered.TryAdd(e.RequestId, (Now(), storedId));

    public void Clear() => _answered.Clear();

    /// <summary>The request id of the newest stored event answered, if any: the row a caught-up tail shows first.</summary>
    public string? Last => _answered.IsEmpty ? null : _answered.MaxBy(a => a.Value.Id).Key;

    /// <summary>
    /// For each POST answered between <paramref name="from"/> and <paramref name="to"/>: the time until a live tail
    /// showed its event or one stored after it (the tail shows the newest rows only, and at 1,000 events/s most events
    /// scroll past between two reloads). Stored order, not answer order: an answer can come after the answers of
    /// events stored later. Answers the latencies and how many were never shown.
    /// </summary>
    public (Latencies Shown, int NotShown) TimeToTail(IReadOnlyList<TailSnapshot> snapshots, double from, double to)
    {
        // Per snapshot: the newest stored id among its rows (ids the bench did not send count as nothing).
        var seen = snapshots.Select(s => (s.At, Newest: s.RequestIds.Select(id => _answered.TryGetValue(id, out var a) ? a.Id : -1).DefaultIfEmpty(-1).Max()))
            .OrderBy(s => s.At).ToArray();
        var shown = new Latencies();
        var notShown = 0;
        foreach (var (answeredAt, id) in _answered.Values.Where(a => a.At >= from && a.At <= to && a.Id >= 0))
        {
            // A row stored after this one may already be on screen when this answer arrives: then it took nothing.
            var hit = Array.FindIndex(seen, s => s.Newest >= id);
            if (hit < 0) notShown++;
            else shown.Add(Math.Max(0, seen[hit].At - answeredAt));
        }
        return (shown, notShown);
    }
}
