using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WeLink.Dashboard.ReliabilityTests.Infrastructure;

/// <summary>
/// The real dashboard as a child process (<c>dotnet WeLink.Dashboard.dll</c> from this test's
/// build output), Production, on 127.0.0.1, on a database file the test chooses, so a test can
/// SIGKILL it and start it again on the same file.
/// </summary>
public sealed class ChildDashboard : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ChildDashboard(Process process, Uri baseAddress)
    {
        _process = process;
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

    /// <summary>What the child wrote to its console so far (standard output and error, line by line).</summary>
    public string Output => string.Join('\n', _output);

    public static async Task<ChildDashboard> StartAsync(string databasePath, string logDirectory, IDictionary<string, string>? settings = null)
    {
        var dll = typeof(Program).Assembly.Location;
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ConnectionStrings__Dashboard"] = $"Data Source={databasePath}";
        info.Environment["WeLink__WebhookSecret"] = SignedEvents.Secret;
        info.Environment["Dashboard__AdminPassword"] = "reliability-admin-password";
        info.Environment["Serilog__WriteTo__1__Args__path"] = Path.Combine(logDirectory, "dashboard-.log");
        // Console output goes to the file sink as well; keep the pipe from filling.
        info.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) info.Environment[key] = value;

        return await LaunchAsync(info, port);
    }

    /// <summary>
    /// Starts the dashboard as a user would from a folder of their own: <paramref name="folder"/> is the
    /// working directory and the content root (the app's appsettings.json is copied there), Development,
    /// no database or secret configured unless <paramref name="settings"/> (environment variables) say so,
    /// with <paramref name="arguments"/> on the command line. The console is kept in <see cref="Output"/>.
    /// </summary>
    public static async Task<ChildDashboard> StartInFolderAsync(string folder, IEnumerable<string> arguments, IDictionary<string, string>? settings = null)
    {
        var dll = typeof(Program).Assembly.Location;
        File.Copy(Path.Combine(Path.GetDirectoryName(dll)!, "appsettings.json"), Path.Combine(folder, "appsettings.json"), overwrite: true);
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.ArgumentList.Add("--contentRoot");
        info.ArgumentList.Add(folder);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) info.Environment[key] = value;
        return await LaunchAsync(info, port);
    }

    private static async Task<ChildDashboard> LaunchAsync(ProcessStartInfo info, int port)
    {
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var child = new ChildDashboard(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) child._output.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) child._output.Enqueue(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Poll.UntilAsync(child.HealthAsync, status => status == HttpStatusCode.OK || process.HasExited, TimeSpan.FromSeconds(60), "the dashboard to answer /healthz");
        if (process.HasExited) throw new InvalidOperationException($"The dashboard exited with {process.ExitCode} at start:\n{child.Output}");
        return child;
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
        await _process.WaitForExitAsync();
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Http.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A temporary folder on the real disk for one test's database and logs.</summary>
public sealed class TestFolder : IDisposable
{
    public TestFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "welink-reliability", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }
    public string Database => System.IO.Path.Combine(Path, "dashboard.db");
    public string Logs => System.IO.Path.Combine(Path, "logs");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be closing; the temp folder is cleaned by the OS.
        }
    }
}
