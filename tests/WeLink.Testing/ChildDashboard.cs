using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;

namespace WeLink.Testing;

/// <summary>
/// The real dashboard as a child process (<c>dotnet WeLink.Dashboard.dll</c>, by default the build next to
/// the caller), on 127.0.0.1 on a free port, on a database file the caller chooses, so a test can SIGKILL it
/// and start it again on the same file, and the benchmark can measure it from outside.
/// </summary>
public sealed class ChildDashboard : IAsyncDisposable
{
    /// <summary>The webhook secret <see cref="StartAsync"/> configures unless its settings say otherwise.</summary>
    public const string Secret = "reliability-secret";

    public const string AdminPassword = "reliability-admin-password";

    // The last lines only: a long run (the benchmark) must not grow the test's memory without bound.
    private const int KeptLines = 5_000;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly StreamWriter? _consoleLog;
    private readonly bool _stopGracefully;

    private ChildDashboard(Process process, Uri baseAddress, StreamWriter? consoleLog, bool stopGracefully)
    {
        _process = process;
        _consoleLog = consoleLog;
        _stopGracefully = stopGracefully;
        BaseAddress = baseAddress;
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 128, UseProxy = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public bool HasExited => _process.HasExited;
    public int Pid => _process.Id;

    /// <summary>What the child wrote to its console so far (standard output and error, line by line; the last lines of a long run).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>How to launch: which build, where its console goes, how long it may take to answer, how it stops.</summary>
    public sealed record Launch
    {
        /// <summary>The dashboard's dll; the one this process was built with when null.</summary>
        public string? Dll { get; init; }

        /// <summary>A file that receives the child's console as well (appended).</summary>
        public string? ConsoleLog { get; init; }

        /// <summary>
        /// How long a start may take before the test gives up. A ceiling, not a wait: a healthy start answers
        /// in a few seconds, but on two cores shared with other builds a cold start (JIT, migrations) has taken
        /// over a minute.
        /// </summary>
        public TimeSpan StartLimit { get; init; } = TimeSpan.FromSeconds(180);

        /// <summary>Dispose sends SIGTERM first (a graceful stop checkpoints the WAL) instead of killing at once.</summary>
        public bool StopGracefully { get; init; }
    }

    /// <summary>
    /// Production, the database at <paramref name="databasePath"/> (in the PostgreSQL pass the database standing in for it), the file log under <paramref name="logDirectory"/>,
    /// webhook secret <see cref="Secret"/>; <paramref name="settings"/> (environment variables) add or override.
    /// </summary>
    public static Task<ChildDashboard> StartAsync(string databasePath, string logDirectory, IDictionary<string, string>? settings = null, Launch? launch = null)
    {
        launch ??= new Launch();
        var dll = launch.Dll ?? typeof(Program).Assembly.Location;
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Dashboard"] = $"Data Source={databasePath}",
            ["WeLink__WebhookSecret"] = Secret,
            ["Dashboard__AdminPassword"] = AdminPassword,
            ["Serilog__WriteTo__1__Args__path"] = Path.Combine(logDirectory, "dashboard-.log"),
            // Console output goes to the file sink as well; keep the pipe quiet.
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
        settings ??= new Dictionary<string, string>();
        // In the PostgreSQL pass a database of the private cluster stands in for the file (see TestStore).
        foreach (var (key, value) in TestStore.SettingsFor(databasePath, settings.Keys)) environment[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        foreach (var (key, value) in settings) environment[key] = value;
        return LaunchAsync(dll, Path.GetDirectoryName(dll)!, [], environment, launch);
    }

    /// <summary>
    /// Starts the dashboard as a user would from a folder of their own: <paramref name="folder"/> is the
    /// working directory and the content root (the app's appsettings.json is copied there), Development,
    /// no database or secret configured unless <paramref name="settings"/> (environment variables) say so,
    /// with <paramref name="arguments"/> on the command line. The console is kept in <see cref="Output"/>.
    /// </summary>
    public static Task<ChildDashboard> StartInFolderAsync(string folder, IEnumerable<string> arguments, IDictionary<string, string>? settings = null)
    {
        var dll = typeof(Program).Assembly.Location;
        File.Copy(Path.Combine(Path.GetDirectoryName(dll)!, "appsettings.json"), Path.Combine(folder, "appsettings.json"), overwrite: true);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[key] = value;
        return LaunchAsync(dll, folder, [.. arguments, "--contentRoot", folder], environment, new Launch());
    }

    private static async Task<ChildDashboard> LaunchAsync(string dll, string workingDirectory, IReadOnlyList<string> arguments,
        IDictionary<string, string> environment, Launch launch)
    {
        var port = FreePort.Next();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var consoleLog = launch.ConsoleLog is null ? null : new StreamWriter(launch.ConsoleLog, append: true) { AutoFlush = true };
        var child = new ChildDashboard(process, new Uri($"http://127.0.0.1:{port}"), consoleLog, launch.StopGracefully);
        process.OutputDataReceived += (_, line) => child.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => child.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Poll.UntilAsync(child.HealthAsync, status => status == HttpStatusCode.OK || process.HasExited, launch.StartLimit, "the dashboard to answer /healthz");
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
        if (process.HasExited)
        {
            var message = $"The dashboard exited with {process.ExitCode} at start:\n{child.Output}";
            await child.DisposeAsync();
            throw new InvalidOperationException(message);
        }
        return child;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > KeptLines) _output.TryDequeue(out _);
        if (_consoleLog is not null) lock (_consoleLog) _consoleLog.WriteLine(line);
    }

    public async Task<HttpStatusCode> HealthAsync()
    {
        try
        {
            using var answer = await Http.GetAsync("/healthz");
            return answer.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await WaitForKilledAsync();
    }

    /// <summary>
    /// Waits for a killed child. <see cref="Process.WaitForExitAsync"/> also waits for the end of the
    /// redirected output, which on a loaded machine was seen never to come after a SIGKILL: the wait
    /// is bounded, and the process having exited is what counts.
    /// </summary>
    private async Task WaitForKilledAsync()
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException) when (_process.HasExited)
        {
        }
    }

    /// <summary>(current, peak) resident set size in MiB, from /proc.</summary>
    public (double Rss, double Peak) Memory()
    {
        double Read(string key)
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
                if (line.StartsWith(key + ":", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
            return double.NaN;
        }
        return (Read("VmRSS"), Read("VmHWM"));
    }

    /// <summary>CPU seconds the server used so far (user + system).</summary>
    public double CpuSeconds()
    {
        _process.Refresh();
        return _process.TotalProcessorTime.TotalSeconds;
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            if (_stopGracefully && SendSignal(_process.Id, SigTerm) == 0)
            {
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await _process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    // It did not stop in time: kill it below.
                }
            }
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await WaitForKilledAsync();
            }
        }
        _process.Dispose();
        Http.Dispose();
        if (_consoleLog is not null) lock (_consoleLog) _consoleLog.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private const int SigTerm = 15;
}
